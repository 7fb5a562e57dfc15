package dev.vigil.demo.shop;

import java.net.URI;

/**
 * Entry point of the demo shop, a service with no Vigil code. Three roles share one jar so the demo
 * and the end-to-end tests need a single artifact:
 *
 * <pre>
 * java -jar demo-shop.jar shop &lt;port&gt; &lt;payments base URL&gt;   the shop API (JDK HttpServer, H2, thread pool)
 * java -jar demo-shop.jar payments &lt;port&gt;                    the payments dependency the shop calls
 * java -jar demo-shop.jar load &lt;shop base URL&gt; [requests/s]   steady traffic until killed
 * java -jar demo-shop.jar alert-sink &lt;port&gt;                  prints the alerts an Alertmanager webhook delivers
 * java -jar demo-shop.jar watch &lt;collector API URL&gt; &lt;token&gt;  prints each change of the collector's alerts
 * </pre>
 *
 * Servers print {@code READY <port>} once they serve requests.
 */
public final class DemoShop {
    private DemoShop() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage();
            return;
        }
        switch (args[0]) {
            case "shop":
                if (args.length < 3) {
                    usage();
                    return;
                }
                ShopServer.start(Integer.parseInt(args[1]), URI.create(args[2]));
                break;
            case "payments":
                PaymentsServer.start(Integer.parseInt(args[1]));
                break;
            case "load":
                new LoadDriver(URI.create(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 20).run();
                break;
            case "watch":
                if (args.length < 3) {
                    usage();
                    return;
                }
                new AlertWatch(URI.create(args[1]), args[2]).run();
                break;
            case "alert-sink":
                AlertSink.start(Integer.parseInt(args[1]));
                break;
            default:
                usage();
        }
    }

    private static void usage() {
        System.err.println(
                "usage: demo-shop shop <port> <payments-url> | payments <port> | load <shop-url> [rps] | alert-sink <port> | watch <collector-url> <token>");
        System.exit(2);
    }
}
