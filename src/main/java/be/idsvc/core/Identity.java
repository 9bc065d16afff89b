package be.idsvc.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A verified person, as an identification method established them: the national number (the
 * source of the pairwise subject, released only under its own scope) and the person's claims,
 * named as in DESIGN §6.
 *
 * @param acr how the person was identified (a sandbox identity carries a test acr)
 * @param amr the methods used, RFC 8176 values where they exist
 */
public record Identity(String nationalNumber, Map<String, Object> claims, String acr, List<String> amr, long authTime) {
    public Identity {
        claims = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(claims));
        amr = List.copyOf(amr);
    }
}
