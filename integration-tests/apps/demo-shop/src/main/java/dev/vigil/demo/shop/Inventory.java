package dev.vigil.demo.shop;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Products, stock and orders in an in-memory H2 database, through plain JDBC. */
final class Inventory {
    private final String url;

    Inventory(String name) throws SQLException {
        this.url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE ALIAS IF NOT EXISTS SLEEP FOR \"java.lang.Thread.sleep(long)\"");
            s.execute("CREATE TABLE product (id INT PRIMARY KEY, name VARCHAR(64), price DECIMAL(10,2), stock INT)");
            s.execute("CREATE TABLE orders (id IDENTITY PRIMARY KEY, product_id INT, quantity INT, region VARCHAR(16),"
                    + " total DECIMAL(12,2), created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)");
            s.execute("INSERT INTO product VALUES (1, 'lamp', 39.99, 1000000), (2, 'chair', 129.00, 1000000),"
                    + " (3, 'desk', 349.50, 1000000), (4, 'rug', 89.99, 1000000)");
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }

    Product product(int id) throws SQLException {
        String sql = Faults.on("slow-db")
                ? "SELECT id, name, price, stock FROM product WHERE id = ? AND SLEEP(1500) IS NULL"
                : "SELECT id, name, price, stock FROM product WHERE id = ?";
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Product(rs.getInt(1), rs.getString(2), rs.getBigDecimal(3), rs.getInt(4));
            }
        }
    }

    String productsJson() throws SQLException {
        StringBuilder json = new StringBuilder("[");
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name, price FROM product ORDER BY id")) {
            while (rs.next()) {
                if (json.length() > 1) {
                    json.append(',');
                }
                json.append("{\"id\":")
                        .append(rs.getInt(1))
                        .append(",\"name\":\"")
                        .append(rs.getString(2))
                        .append("\",\"price\":")
                        .append(rs.getBigDecimal(3))
                        .append('}');
            }
        }
        return json.append(']').toString();
    }

    long recordOrder(Order order, BigDecimal total) throws SQLException {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO orders (product_id, quantity, region, total) VALUES (?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            ps.setInt(1, order.productId());
            ps.setInt(2, order.quantity());
            ps.setString(3, order.region());
            ps.setBigDecimal(4, total);
            ps.executeUpdate();
            try (PreparedStatement stock = c.prepareStatement("UPDATE product SET stock = stock - ? WHERE id = ?")) {
                stock.setInt(1, order.quantity());
                stock.setInt(2, order.productId());
                stock.executeUpdate();
            }
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** A product row. */
    static final class Product {
        final int id;
        final String name;
        final BigDecimal price;
        final int stock;

        Product(int id, String name, BigDecimal price, int stock) {
            this.id = id;
            this.name = name;
            this.price = price;
            this.stock = stock;
        }
    }
}
