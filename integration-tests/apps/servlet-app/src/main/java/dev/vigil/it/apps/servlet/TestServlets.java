package dev.vigil.it.apps.servlet;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.servlet.AsyncContext;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The servlets and the filter of the test webapp (no Vigil code). Written against javax.servlet;
 * the jakarta build of the same webapp is generated from this file with the package renamed.
 */
public final class TestServlets {
    private TestServlets() {}

    static void text(HttpServletResponse response, int status, String body) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(body);
    }

    /** {@code /hello}: an exact mapping. */
    public static final class Hello extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            text(response, 200, "hello");
        }
    }

    /** {@code /users/*}: a path mapping; the route is the pattern, whatever the id. */
    public static final class Users extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            text(response, 200, "user " + request.getPathInfo());
        }
    }

    /** {@code /fail}: an exception escapes the servlet. */
    public static final class Fail extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            throw new IllegalStateException("servlet failure");
        }
    }

    /** {@code /status?code=N}: answers with status N. */
    public static final class Status extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int code = Integer.parseInt(request.getParameter("code"));
            text(response, code, "status " + code);
        }
    }

    /** {@code /forward}: forwards to /hello; still one request, with the route of /forward. */
    public static final class Forward extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            request.getRequestDispatcher("/hello").forward(request, response);
        }
    }

    /**
     * {@code /async?delay=ms[&code=N]}: starts async processing and completes from another thread
     * after the delay, with status N (default 200).
     */
    public static final class Async extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private transient ScheduledExecutorService timer;

        @Override
        public void init() {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "async-completer");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            long delay = Long.parseLong(request.getParameter("delay"));
            String code = request.getParameter("code");
            AsyncContext async = request.startAsync();
            timer.schedule(
                    () -> {
                        try {
                            int status = code == null ? 200 : Integer.parseInt(code);
                            text((HttpServletResponse) async.getResponse(), status, "async " + status);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        } finally {
                            async.complete();
                        }
                    },
                    delay,
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public void destroy() {
            timer.shutdownNow();
        }
    }

    /** Mapped to every path: the outermost call of each request is this filter, not the servlet. */
    public static final class PassThrough implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            ((HttpServletResponse) response).setHeader("X-Filtered", "yes");
            chain.doFilter(request, response);
        }
    }
}
