/**
 * The proxy's side of the control plane's push stream: a WebSocket to any control-plane node
 * (failing over to the next), revisions applied one tenant at a time and answered with ACK or NACK,
 * and a disk store of the last good revisions and their modules, so a proxy restarted while no
 * control plane answers serves what it served before.
 */
package io.wasmesh.proxy.sync;
