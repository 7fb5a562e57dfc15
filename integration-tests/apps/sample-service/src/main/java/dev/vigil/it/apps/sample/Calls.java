package dev.vigil.it.apps.sample;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** What the endpoints do: outgoing HTTP, JDBC, and work handed to other threads. */
final class Calls {
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Connection db;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ForkJoinPool forkJoin = new ForkJoinPool(2);

    Calls(Connection db) {
        this.db = db;
    }

    /** One GET to {@code to}; returns "status N" or "failed <exception type>". */
    String http(String via, URI to) {
        try {
            switch (via) {
                case "sync":
                    return "status "
                            + client.send(request(to), HttpResponse.BodyHandlers.ofString())
                                    .statusCode();
                case "async":
                    return "status "
                            + client.sendAsync(request(to), HttpResponse.BodyHandlers.ofString())
                                    .get(30, TimeUnit.SECONDS)
                                    .statusCode();
                case "urlconnection":
                    HttpURLConnection c = (HttpURLConnection) to.toURL().openConnection();
                    c.setConnectTimeout(5000);
                    int status = c.getResponseCode();
                    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                        if (in != null) {
                            in.readAllBytes();
                        }
                    }
                    return "status " + status;
                default:
                    throw new IllegalArgumentException("via " + via);
            }
        } catch (ExecutionException e) {
            return "failed " + e.getCause().getClass().getName();
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            return "failed " + e.getClass().getName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static HttpRequest request(URI to) {
        return HttpRequest.newBuilder(to).timeout(Duration.ofSeconds(10)).GET().build();
    }

    /** Runs one kind of query; returns what it found, or "failed <SQLState>". */
    String db(String kind) {
        synchronized (db) {
            try {
                switch (kind) {
                    case "statement":
                        try (Statement s = db.createStatement();
                                ResultSet rs = s.executeQuery(
                                        "SELECT name FROM users WHERE name = 'o''brien' AND id > 2 -- by name")) {
                            return rs.next() ? rs.getString(1) : "none";
                        }
                    case "prepared":
                        try (PreparedStatement p = db.prepareStatement("SELECT name FROM users WHERE id = ?")) {
                            p.setInt(1, 2);
                            try (ResultSet rs = p.executeQuery()) {
                                return rs.next() ? rs.getString(1) : "none";
                            }
                        }
                    case "update":
                        try (PreparedStatement p =
                                db.prepareStatement("UPDATE users SET name = ? WHERE id IN (4, 5, 6)")) {
                            p.setString(1, "x");
                            return "updated " + p.executeUpdate();
                        }
                    case "batch":
                        try (PreparedStatement p = db.prepareStatement("INSERT INTO events (kind) VALUES (?)")) {
                            p.setString(1, "created");
                            p.addBatch();
                            p.setString(1, "paid");
                            p.addBatch();
                            return "inserted " + p.executeBatch().length;
                        }
                    case "fail":
                        try (Statement s = db.createStatement()) {
                            s.executeQuery("SELECT * FROM no_such_table WHERE id = 42");
                            return "unexpected";
                        }
                    default:
                        throw new IllegalArgumentException("q " + kind);
                }
            } catch (SQLException e) {
                return "failed " + e.getSQLState();
            }
        }
    }

    /** Hands a JDBC call to another thread in one of several ways and waits for it. */
    String pool(String via, boolean fail) {
        Callable<String> task = () -> {
            if (fail) {
                throw new IllegalStateException("task failure");
            }
            return count();
        };
        try {
            switch (via) {
                case "submit":
                    return pool.submit(task).get(30, TimeUnit.SECONDS);
                case "execute":
                    AtomicReference<String> result = new AtomicReference<>();
                    CountDownLatch done = new CountDownLatch(1);
                    pool.execute(() -> {
                        try {
                            result.set(task.call());
                        } catch (Exception e) {
                            result.set("failed " + e.getMessage());
                        } finally {
                            done.countDown();
                        }
                    });
                    done.await(30, TimeUnit.SECONDS);
                    return result.get();
                case "completable":
                    return CompletableFuture.supplyAsync(() -> {
                                try {
                                    return task.call();
                                } catch (RuntimeException e) {
                                    throw e;
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            })
                            .get(30, TimeUnit.SECONDS);
                case "forkjoin":
                    return forkJoin.submit(task).get(30, TimeUnit.SECONDS);
                case "scheduled":
                    return scheduler.schedule(task, 10, TimeUnit.MILLISECONDS).get(30, TimeUnit.SECONDS);
                case "virtual":
                    return virtualThreads(task);
                default:
                    throw new IllegalArgumentException("via " + via);
            }
        } catch (ExecutionException e) {
            return "failed " + e.getCause().getMessage();
        } catch (Exception e) {
            return "failed " + e;
        }
    }

    /** Java 21+ virtual threads, reached by reflection: this app is compiled for Java 11. */
    private static String virtualThreads(Callable<String> task) throws Exception {
        Method factory;
        try {
            factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            return "no virtual threads on Java " + Runtime.version().feature();
        }
        ExecutorService executor = (ExecutorService) factory.invoke(null);
        try {
            return executor.submit(task).get(30, TimeUnit.SECONDS);
        } finally {
            executor.shutdown();
        }
    }

    private String count() throws SQLException {
        synchronized (db) {
            try (Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM users")) {
                rs.next();
                return "users " + rs.getInt(1);
            }
        }
    }
}
