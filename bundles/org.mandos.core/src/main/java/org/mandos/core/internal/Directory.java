package org.mandos.core.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/** An immutable view of the clients by name (in lookup order) and by key_id (first definition wins). */
record Directory(Map<String, Client> byName, Map<String, Client> byKeyId) {

    static final Directory EMPTY = new Directory(Map.of(), Map.of());

    static Directory of(LinkedHashMap<String, Client> byName, Logger log) {
        Map<String, Client> byKeyId = new HashMap<>();
        for (Client client : byName.values()) {
            String keyId = client.definition().keyId();
            if (keyId.isEmpty()) {
                continue;
            }
            if (ClientRegistryImpl.BLACKLISTED_KEY_ID.equals(keyId)) {
                log.warn("Client {} has the blacklisted key_id of empty input; it can never match", client.name());
                continue;
            }
            Client first = byKeyId.putIfAbsent(keyId, client);
            // Within one store the store itself reports duplicates (clients.conf does, with line numbers).
            if (first != null && !first.store().equals(client.store())) {
                log.warn("Client {} has the same key_id as client {}; only {} can receive a secret",
                        client.name(), first.name(), first.name());
            }
        }
        return new Directory(java.util.Collections.unmodifiableMap(byName), Map.copyOf(byKeyId));
    }

    Collection<Client> clients() {
        return byName.values();
    }
}
