package io.wasmesh.wasm.proxywasm.vm;

import io.wasmesh.wasm.proxywasm.LocalReply;
import io.wasmesh.wasm.proxywasm.StreamObserver;
import io.wasmesh.wasm.proxywasm.http.BodyBuffer;
import io.wasmesh.wasm.proxywasm.http.HeaderMap;
import io.wasmesh.wasm.proxywasm.spi.StreamInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * One HTTP stream as one VM sees it: its context id, the headers, bodies and trailers the filter
 * may read and change, and what the filter asked for while its callbacks ran. Confined to the VM's
 * lane.
 */
public final class StreamState {
    static final int REQUEST = 0;
    static final int RESPONSE = 1;

    final StreamObserver observer;
    final StreamInfo info;
    final long startNanos = System.nanoTime();
    int contextId;

    HeaderMap requestHeaders;
    HeaderMap requestTrailers;
    HeaderMap responseHeaders;
    HeaderMap responseTrailers;
    final BodyBuffer requestBody = new BodyBuffer();
    final BodyBuffer responseBody = new BodyBuffer();
    final boolean[] endOfStream = new boolean[2];
    long requestBodyBytes;
    long responseBodyBytes;

    /**
     * True while one of this stream's own callbacks runs: its requests then shape the callback's
     * result.
     */
    boolean inOwnCallback;

    final boolean[] continueRequested = new boolean[2];
    final boolean[] paused = new boolean[2];
    LocalReply localReply;
    boolean resetRequested;
    boolean completed;

    final Map<String, byte[]> filterState = new HashMap<>();

    /** Set by the stream's owner: what to do when the VM fails while this stream waits on it. */
    public java.util.function.Consumer<io.wasmesh.wasm.engine.GuestFailure> onVmFailure;

    public StreamState(StreamObserver observer, StreamInfo info) {
        this.observer = observer == null ? StreamObserver.IGNORE : observer;
        this.info = info == null ? StreamInfo.NONE : info;
    }

    BodyBuffer body(int direction) {
        return direction == REQUEST ? requestBody : responseBody;
    }

    public HeaderMap requestHeaders() {
        return requestHeaders;
    }

    public HeaderMap responseHeaders() {
        return responseHeaders;
    }

    public HeaderMap requestTrailers() {
        return requestTrailers;
    }

    public HeaderMap responseTrailers() {
        return responseTrailers;
    }

    public int contextId() {
        return contextId;
    }

    /**
     * The header map of {@code mapType} (request/response headers/trailers), or null before it
     * exists. With {@code create}, trailers that do not exist yet are created: a filter may add
     * trailers to a message that had none from its last body callback, as in Envoy.
     */
    public HeaderMap map(int mapType, boolean create) {
        switch (mapType) {
            case io.wasmesh.wasm.proxywasm.abi.MapType.HTTP_REQUEST_HEADERS:
                return requestHeaders;
            case io.wasmesh.wasm.proxywasm.abi.MapType.HTTP_REQUEST_TRAILERS:
                if (requestTrailers == null && create) {
                    requestTrailers = new HeaderMap();
                }
                return requestTrailers;
            case io.wasmesh.wasm.proxywasm.abi.MapType.HTTP_RESPONSE_HEADERS:
                return responseHeaders;
            case io.wasmesh.wasm.proxywasm.abi.MapType.HTTP_RESPONSE_TRAILERS:
                if (responseTrailers == null && create) {
                    responseTrailers = new HeaderMap();
                }
                return responseTrailers;
            default:
                return null;
        }
    }

    /** The body buffer of a direction (0 request, 1 response). */
    public BodyBuffer bodyBuffer(int direction) {
        return body(direction);
    }

    public boolean endOfStream(int direction) {
        return endOfStream[direction];
    }

    public StreamInfo info() {
        return info;
    }

    public Map<String, byte[]> filterState() {
        return filterState;
    }

    public long bodyBytes(int direction) {
        return direction == REQUEST ? requestBodyBytes : responseBodyBytes;
    }

    public long startNanos() {
        return startNanos;
    }

    /** Tells the observer the direction resumed, handing over what was buffered. */
    public void observerResume(int direction) {
        paused[direction] = false;
        observer.onResume(
                direction == REQUEST
                        ? io.wasmesh.wasm.proxywasm.abi.StreamType.HTTP_REQUEST
                        : io.wasmesh.wasm.proxywasm.abi.StreamType.HTTP_RESPONSE,
                body(direction).drain());
    }

    public void observerLocalReply(LocalReply reply) {
        observer.onLocalReply(reply);
    }

    public boolean isPaused(int direction) {
        return paused[direction];
    }
}
