package io.wasmesh.config;

/**
 * The certificate a listener serves. The loader resolves both paths against the configuration
 * file's directory and checks that the files exist.
 *
 * @param certPath the certificate chain, a PEM file (absolute once loaded)
 * @param keyPath the private key, a PEM file (absolute once loaded)
 */
public record TlsConfig(String certPath, String keyPath) {}
