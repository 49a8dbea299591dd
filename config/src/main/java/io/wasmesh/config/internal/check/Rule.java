package io.wasmesh.config.internal.check;

import io.wasmesh.config.internal.Problems;

/** One family of checks of a whole mesh file the schema cannot express. */
interface Rule {

    void check(Node config, Problems problems);
}
