package io.wasmesh.wasm.testing;

import io.wasmesh.wasm.engine.CompiledModule;
import io.wasmesh.wasm.engine.ModuleCache;
import io.wasmesh.wasm.exec.WasmScheduler;
import io.wasmesh.wasm.proxywasm.PluginConfig;
import io.wasmesh.wasm.proxywasm.ProxyWasmHost;
import io.wasmesh.wasm.proxywasm.ProxyWasmPlugin;
import io.wasmesh.wasm.proxywasm.abi.LogLevel;
import io.wasmesh.wasm.proxywasm.spi.HttpCallDispatcher;
import io.wasmesh.wasm.proxywasm.spi.LogSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;

/** A real host on real workers for tests, with logs captured. */
public final class TestHost implements AutoCloseable {
    public static final ModuleCache MODULES = new ModuleCache();
    private static final WasmScheduler SCHEDULER =
            new WasmScheduler(WasmScheduler.Config.defaults().withWorkers(2));

    public final List<String> logs = Collections.synchronizedList(new ArrayList<>());
    public final ProxyWasmHost host;

    public TestHost() {
        this(HttpCallDispatcher.NONE);
    }

    public TestHost(HttpCallDispatcher httpCalls) {
        LogSink sink = (plugin, level, message) -> logs.add(level + " " + message);
        host = ProxyWasmHost.builder().scheduler(SCHEDULER).httpCalls(httpCalls).logs(sink).build();
    }

    public static byte[] resource(String name) {
        try (InputStream in = TestHost.class.getResourceAsStream("/wasm/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /wasm/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ProxyWasmPlugin start(byte[] wasm, PluginConfig config) {
        CompiledModule module = MODULES.load(wasm);
        try {
            return host.startPlugin(module, config).join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    public static PluginConfig.Builder plugin(String name) {
        return PluginConfig.builder("tenant-a", name).logLevel(LogLevel.TRACE);
    }

    public List<String> logs() {
        synchronized (logs) {
            return new ArrayList<>(logs);
        }
    }

    @Override
    public void close() {
        host.close();
    }
}
