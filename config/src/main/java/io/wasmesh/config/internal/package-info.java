/**
 * How {@link io.wasmesh.config.ConfigLoader} works; not API. The stages, in order: {@code read}
 * (text to a tree, remembering where each value was), {@code schema} (the JSON Schema, with
 * readable messages), {@code check} (rules the schema cannot express) and {@code bind} (the tree to
 * the records). Problems are collected by path and placed in the text at the end.
 */
package io.wasmesh.config.internal;
