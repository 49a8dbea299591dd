package io.wasmesh.wasm.proxywasm.abi;

import java.util.Collection;

/** The proxy-wasm ABI a module was built for, read from its marker export. */
public enum AbiVersion {
    V0_1_0("proxy_abi_version_0_1_0"),
    V0_2_0("proxy_abi_version_0_2_0"),
    V0_2_1("proxy_abi_version_0_2_1");

    private final String marker;

    AbiVersion(String marker) {
        this.marker = marker;
    }

    public String marker() {
        return marker;
    }

    /** The newest ABI whose marker the module exports, or null when it exports none. */
    public static AbiVersion detect(Collection<String> exportNames) {
        for (int i = values().length - 1; i >= 0; i--) {
            if (exportNames.contains(values()[i].marker)) {
                return values()[i];
            }
        }
        return null;
    }

    /** In 0.1.0 a missing header reads as an empty value; from 0.2.0 on it is NOT_FOUND. */
    public boolean missingHeaderIsNotFound() {
        return this != V0_1_0;
    }
}
