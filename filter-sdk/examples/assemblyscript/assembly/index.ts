// add_header (AssemblyScript) - wasmesh example filter.
//
// Built with assemblyscript 0.14.13 + @solo-io/proxy-runtime 0.1.8 (newer
// AssemblyScript releases cannot compile that SDK). Root id: "add_header".
//
// Plugin configuration: none (never read; see AddHeaderRoot.onConfigure).
// Adds request header "x-as-filter: assemblyscript" and response header
// "hello: world!"; always continues.
//
// Host requirements that differ from the C examples: the module exports the
// ABI marker proxy_abi_version_0_2_0, allocates through its `malloc` export
// (there is no proxy_on_memory_allocate), imports wasi_unstable.proc_exit, has
// a start section, and asks the host for property "plugin_root_id", which must
// answer "add_header" (or the SDK aborts).
export * from "@solo-io/proxy-runtime/proxy"; // the proxy_on_* exports

import {
  RootContext,
  Context,
  registerRootContext,
  FilterHeadersStatusValues,
  stream_context,
} from "@solo-io/proxy-runtime";

class AddHeaderRoot extends RootContext {
  // The SDK's default onConfigure has a bug: it passes configuration_size as
  // the ret_size_ptr argument of proxy_get_buffer_bytes, so the host writes
  // to guest address <configuration_size>, and it then reuses a stale size,
  // which traps when the host returns (0, 0) for an empty configuration.
  // This filter takes no configuration, so do not read it at all.
  onConfigure(configuration_size: u32): bool {
    return true;
  }

  createContext(context_id: u32): Context {
    return new AddHeader(context_id, this);
  }
}

class AddHeader extends Context {
  constructor(context_id: u32, root_context: AddHeaderRoot) {
    super(context_id, root_context);
  }

  onRequestHeaders(a: u32, end_of_stream: bool): FilterHeadersStatusValues {
    stream_context.headers.request.add("x-as-filter", "assemblyscript");
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(a: u32, end_of_stream: bool): FilterHeadersStatusValues {
    stream_context.headers.response.add("hello", "world!");
    return FilterHeadersStatusValues.Continue;
  }
}

registerRootContext((context_id: u32) => {
  return new AddHeaderRoot(context_id);
}, "add_header");
