package io.wasmesh.proxy.listener;

import io.vertx.core.transport.Transport;

/** The network transports a proxy can run on, by the names `wasmesh proxy --transport` takes. */
public final class NetworkTransports {
    /** The names, in the order a message lists them. */
    public static final String NAMES = "native, io_uring, epoll, nio";

    private NetworkTransports() {}

    /**
     * The transport called {@code name}; null for an unknown name. "native" is io_uring where the
     * kernel offers it (a container's seccomp profile may not), else the platform's (epoll on
     * Linux), else NIO: on one core, io_uring took the proxy from 0.53x to 0.64x nginx's requests/s
     * and its p99 added at 10k requests/s from 0.98 to 0.83 ms (docs/benchmarks.md).
     */
    public static Transport named(String name) {
        switch (name) {
            case "native":
                if (Transport.IO_URING.available()) {
                    return Transport.IO_URING;
                }
                Transport t = Transport.nativeTransport();
                return t != null && t.available() ? t : Transport.NIO;
            case "io_uring":
                return Transport.IO_URING;
            case "epoll":
                return Transport.EPOLL;
            case "nio":
                return Transport.NIO;
            default:
                return null;
        }
    }
}
