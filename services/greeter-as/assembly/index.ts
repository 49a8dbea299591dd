// greeter (AssemblyScript) - a proxy-wasm service: it answers every request
// itself with proxy_send_local_response, in JSON, and keeps its VM (and a
// count of the requests it served) between requests.
//
// Built with assemblyscript 0.14.13 + @solo-io/proxy-runtime 0.1.8, the same
// toolchain as filter-sdk/examples/assemblyscript (whose node_modules the build
// script uses). Root id: "greeter" (the service config gives it: rootId). Configuration: none.
export * from "@solo-io/proxy-runtime/proxy"; // the proxy_on_* exports

import {
  RootContext,
  Context,
  registerRootContext,
  FilterHeadersStatusValues,
  GrpcStatusValues,
  HeaderPair,
  send_local_response,
  stream_context,
} from "@solo-io/proxy-runtime";

let served: u32 = 0; // lives as long as the VM: the service is pooled

class GreeterRoot extends RootContext {
  // The SDK's default onConfigure passes the configuration size where a
  // pointer belongs (the host then writes to that guest address); this
  // service takes no configuration, so it does not read it.
  onConfigure(configuration_size: u32): bool {
    return true;
  }

  createContext(context_id: u32): Context {
    return new Greeter(context_id, this);
  }
}

class Greeter extends Context {
  constructor(context_id: u32, root_context: GreeterRoot) {
    super(context_id, root_context);
  }

  onRequestHeaders(a: u32, end_of_stream: bool): FilterHeadersStatusValues {
    served++;
    const path = stream_context.headers.request.get(":path");
    const body =
      '{"greeting":"hello from AssemblyScript","path":"' + path +
      '","served":' + served.toString() + "}\n";
    const headers = new Array<HeaderPair>();
    headers.push(new HeaderPair(String.UTF8.encode("content-type"), String.UTF8.encode("application/json")));
    send_local_response(200, "greeter", String.UTF8.encode(body), headers, GrpcStatusValues.InvalidCode);
    return FilterHeadersStatusValues.StopIteration;
  }
}

registerRootContext((context_id: u32) => {
  return new GreeterRoot(context_id);
}, "greeter");
