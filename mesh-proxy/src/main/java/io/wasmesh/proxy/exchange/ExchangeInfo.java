package io.wasmesh.proxy.exchange;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.wasmesh.wasm.proxywasm.spi.StreamInfo;
import java.util.List;

/**
 * What filters can read about a request beyond its headers, under Envoy's attribute names: {@code
 * source.*} and {@code destination.*} addresses, {@code route_name}, {@code cluster_name}, {@code
 * upstream.address}, {@code connection.mtls}, {@code request.protocol}. Read on a Wasm lane,
 * written on the event loop: the fields that change are volatile.
 */
final class ExchangeInfo implements StreamInfo {
    private final SocketAddress source;
    private final SocketAddress destination;
    private final String protocol;
    private final String routeName;
    private final boolean tls;
    volatile String clusterName;
    volatile String upstreamAddress;

    ExchangeInfo(HttpServerRequest req, String routeName) {
        this.source = req.remoteAddress();
        this.destination = req.localAddress();
        this.protocol = protocolName(req);
        this.routeName = routeName;
        this.tls = req.isSSL();
    }

    private static String protocolName(HttpServerRequest req) {
        switch (req.version()) {
            case HTTP_2:
                return "HTTP/2";
            case HTTP_1_0:
                return "HTTP/1.0";
            default:
                return "HTTP/1.1";
        }
    }

    /** Envoy's {@code address} ("ip:port") or {@code port} (an int) of a socket address. */
    private static Object address(SocketAddress a, String leaf) {
        if (a == null) {
            return null;
        }
        switch (leaf) {
            case "address":
                return a.hostAddress() + ":" + a.port();
            case "port":
                return (long) a.port();
            default:
                return null;
        }
    }

    @Override
    public Object property(List<String> path) {
        String root = path.get(0);
        String leaf = path.size() > 1 ? path.get(1) : "";
        switch (root) {
            case "source":
                return address(source, leaf);
            case "destination":
                return address(destination, leaf);
            case "upstream":
                return leaf.equals("address") ? upstreamAddress : null;
            case "route_name":
                return routeName;
            case "cluster_name":
                return clusterName;
            case "connection":
                return leaf.equals("mtls") ? Boolean.FALSE : leaf.equals("tls") ? tls : null;
            case "request":
                return leaf.equals("protocol") ? protocol : null;
            default:
                return null;
        }
    }
}
