package io.wasmesh.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmesh.config.MeshConfig;
import io.wasmesh.config.RouteConfig;
import io.wasmesh.proxy.filter.FilterChainFactory;
import io.wasmesh.proxy.testing.RunningProxy;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which route a request takes: first match wins, every condition must hold. */
class RouteTableTest {
    static final RouteTable TABLE = table();

    static RouteTable table() {
        MeshConfig config =
                RunningProxy.config(
                        """
                        listeners: [{name: http, port: 0}]
                        tenants:
                          - name: t
                            domains: ["*"]
                            routes:
                              - name: exact-health
                                match: {path: /health}
                                directResponse: {status: 200}
                              - name: canary
                                match:
                                  prefix: /api/
                                  headers: [{name: x-canary, exact: "1"}]
                                directResponse: {status: 200}
                              - name: api-write
                                match: {prefix: /api/, methods: [POST, PUT]}
                                directResponse: {status: 200}
                              - name: api-read
                                match: {prefix: /api/}
                                directResponse: {status: 200}
                              - name: user-by-id
                                match: {regex: "/users/[0-9]+"}
                                directResponse: {status: 200}
                              - name: admin-host
                                match: {host: "*.admin.test"}
                                directResponse: {status: 200}
                              - name: debug-query
                                match: {prefix: /, query: [{name: debug, exact: "true"}]}
                                directResponse: {status: 200}
                              - name: no-bot
                                match:
                                  prefix: /
                                  headers: [{name: user-agent, regex: ".*bot.*", invert: true}]
                                directResponse: {status: 200}
                        """);
        List<Route> routes = new ArrayList<>();
        for (RouteConfig r : config.tenants().get(0).routes()) {
            routes.add(new Route(r, FilterChainFactory.empty(), List.of(), List.of()));
        }
        return new RouteTable(routes);
    }

    @ParameterizedTest(name = "{0} {1}{2} [{3}] -> {4}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "GET  | a.test       | /health            | none                | exact-health",
                "GET  | a.test       | /health/deep       | none                | no-bot",
                "GET  | a.test       | /api/orders        | x-canary: 1         | canary",
                "POST | a.test       | /api/orders        | x-canary: 2         | api-write",
                "POST | a.test       | /api/orders        | none                | api-write",
                "GET  | a.test       | /api/orders?x=1    | none                | api-read",
                "GET  | a.test       | /api               | none                | no-bot",
                "GET  | a.test       | /users/42          | none                | user-by-id",
                "GET  | a.test       | /users/ada         | none                | no-bot",
                "GET  | x.admin.test | /anything          | none                | admin-host",
                "GET  | admin.test   | /anything          | none                | no-bot",
                "GET  | a.test:8080  | /p?debug=true      | none                | debug-query",
                "GET  | a.test       | /p?debug=false     | none                | no-bot",
                "GET  | a.test       | /p                 | user-agent: googlebot/2 | none",
            })
    void routes(String method, String host, String path, String header, String expected) {
        HeaderMap h = HeaderMap.of(":method", method, ":authority", host, ":path", path);
        if (header != null) {
            String[] kv = header.split(":", 2);
            h.add(kv[0].trim(), kv[1].trim());
        }
        Route r = TABLE.match(new RequestFacts(h));
        assertThat(r == null ? null : r.name()).isEqualTo(expected);
    }
}
