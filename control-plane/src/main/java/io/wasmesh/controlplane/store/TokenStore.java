package io.wasmesh.controlplane.store;

import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.wasmesh.controlplane.auth.Role;
import io.wasmesh.controlplane.auth.TokenRecord;
import io.wasmesh.controlplane.auth.Tokens;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** API tokens by the SHA-256 of their secret. */
public final class TokenStore {
    private final IMap<String, byte[]> tokens;
    private final Clock clock;

    /** A new token: its secret, shown once, and its record. */
    public record Issued(String secret, TokenRecord record) {}

    public TokenStore(HazelcastInstance hz, Clock clock) {
        this.tokens = hz.getMap(MapNames.TOKENS);
        this.clock = clock;
    }

    /**
     * A near cache keeps lookups local (every API request makes one); invalidation events keep a
     * revocation effective on every node at once.
     */
    public static NearCacheConfig nearCache() {
        return new NearCacheConfig(MapNames.TOKENS).setInvalidateOnChange(true);
    }

    public IMap<String, byte[]> map() {
        return tokens;
    }

    public Issued issue(Role role, String tenant, String name) {
        String secret = Tokens.newSecret();
        TokenRecord r =
                new TokenRecord(
                        Tokens.newId(),
                        role.label(),
                        tenant,
                        Objects.requireNonNullElse(name, ""),
                        clock.instant().toString());
        tokens.set(Tokens.hash(secret), StoredJson.write(r));
        return new Issued(secret, r);
    }

    /**
     * Stores a secret chosen elsewhere (the operator's bootstrap token from the environment); does
     * nothing if it is already stored.
     */
    public void adopt(String secret, Role role, String name) {
        TokenRecord r =
                new TokenRecord(
                        Tokens.newId(), role.label(), null, name, clock.instant().toString());
        tokens.putIfAbsent(Tokens.hash(secret), StoredJson.write(r));
    }

    /** Whether any operator token exists. */
    public boolean hasOperator() {
        return list(null).stream().anyMatch(t -> Role.OPERATOR.label().equals(t.role()));
    }

    /**
     * @param tenant only the tokens of this tenant, or null for all
     */
    public List<TokenRecord> list(String tenant) {
        List<TokenRecord> out = new ArrayList<>();
        for (byte[] v : tokens.values()) {
            TokenRecord r = StoredJson.read(v, TokenRecord.class);
            if (tenant == null || tenant.equals(r.tenant())) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparing(TokenRecord::createdAt).thenComparing(TokenRecord::id));
        return out;
    }

    /**
     * Revokes a token by id.
     *
     * @param tenant the tenant it must belong to, or null for any
     */
    public boolean revoke(String id, String tenant) {
        for (Map.Entry<String, byte[]> e : tokens.entrySet()) {
            TokenRecord r = StoredJson.read(e.getValue(), TokenRecord.class);
            if (r.id().equals(id) && (tenant == null || tenant.equals(r.tenant()))) {
                tokens.delete(e.getKey());
                return true;
            }
        }
        return false;
    }

    /** Revokes every token of a deleted tenant. */
    public void revokeAll(String tenant) {
        for (TokenRecord r : list(tenant)) {
            revoke(r.id(), tenant);
        }
    }
}
