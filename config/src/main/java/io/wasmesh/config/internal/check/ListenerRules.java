package io.wasmesh.config.internal.check;

import io.wasmesh.config.internal.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** HTTP/2 over TLS needs TLS; two listeners cannot bind the same port. */
final class ListenerRules implements Rule {

    private static final Set<String> ANY_ADDRESS = Set.of("0.0.0.0", "::", "[::]");

    private record Binding(Node listener, String address, int port) {
        boolean clashes(Binding other) {
            return port == other.port
                    && (address.equals(other.address)
                            || ANY_ADDRESS.contains(address)
                            || ANY_ADDRESS.contains(other.address));
        }
    }

    @Override
    public void check(Node config, Problems problems) {
        List<Binding> bindings = new ArrayList<>();
        for (Node listener : config.get("listeners").items()) {
            boolean tls = listener.get("tls").isPresent();
            for (Node protocol : listener.get("protocols").items()) {
                if (!tls && protocol.text().filter("h2"::equals).isPresent()) {
                    problems.at(protocol.path(), "h2 needs tls (h2c is cleartext HTTP/2)");
                }
            }
            // Port 0 asks the system for a free port: those never clash.
            int port = listener.get("port").intOr(0);
            if (port == 0) {
                continue;
            }
            Binding binding =
                    new Binding(listener, listener.get("address").text().orElse("0.0.0.0"), port);
            for (Binding other : bindings) {
                if (binding.clashes(other)) {
                    problems.at(
                            listener.get("port").path(),
                            "port " + port + " is already bound by " + describe(other.listener()));
                    break;
                }
            }
            bindings.add(binding);
        }
    }

    private static String describe(Node listener) {
        return listener.get("name").text().map(n -> "listener '" + n + "'").orElse(listener.path());
    }
}
