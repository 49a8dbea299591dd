package io.wasmesh.wasm.proxywasm;

import io.wasmesh.wasm.proxywasm.abi.StreamType;

/**
 * Events about a stream that happen outside its own callbacks: an {@code http_call} answer, a tick
 * or a queue item made the filter resume, reply or reset. Called on the VM's lane thread: hop to
 * your own thread before touching the connection.
 */
public interface StreamObserver {
    /**
     * The filter resumed {@code direction}; {@code bufferedBody} is what it held back and must now
     * be forwarded.
     */
    void onResume(StreamType direction, byte[] bufferedBody);

    /** The filter answered while the stream was held. */
    void onLocalReply(LocalReply reply);

    /** The filter closed the stream. */
    void onReset();

    StreamObserver IGNORE =
            new StreamObserver() {
                @Override
                public void onResume(StreamType direction, byte[] bufferedBody) {}

                @Override
                public void onLocalReply(LocalReply reply) {}

                @Override
                public void onReset() {}
            };
}
