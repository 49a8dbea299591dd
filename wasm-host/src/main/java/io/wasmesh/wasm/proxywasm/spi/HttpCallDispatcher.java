package io.wasmesh.wasm.proxywasm.spi;

import java.util.concurrent.CompletionStage;

/**
 * Sends the HTTP calls filters make. The proxy implements it with its upstream clusters; the filter
 * SDK's harness with scripted answers. Completion may happen on any thread: the host hops back to
 * the VM's own lane.
 */
public interface HttpCallDispatcher {

    /**
     * Starts the call. A failed stage (reset, timeout, refused) reaches the filter as a call with
     * no headers and status {@code BROKEN_CONNECTION}.
     *
     * @throws UnknownUpstreamException when the tenant has no such upstream: the filter gets
     *     BAD_ARGUMENT
     */
    CompletionStage<HttpCallResponse> dispatch(HttpCallRequest request);

    /** Refuses every call: for hosts where filters have no upstreams. */
    HttpCallDispatcher NONE =
            request -> {
                throw new UnknownUpstreamException(request.upstream());
            };

    /** The upstream a filter named is not one its tenant may call. */
    final class UnknownUpstreamException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnknownUpstreamException(String upstream) {
            super("unknown upstream: " + upstream, null, false, false);
        }
    }
}
