package be.idsvc.core;

import java.util.List;
import java.util.Optional;

/** The scopes of DESIGN §6 and the claims each one releases. */
public enum Scope {
    OPENID("openid", List.of("sub", "acr", "amr", "auth_time")),
    PROFILE("profile", List.of("name", "given_name", "family_name", "birthdate", "gender")),
    ADDRESS("address", List.of("address")),
    EID("eid", List.of("nationality", "place_of_birth", "card_number", "card_validity_begin",
            "card_validity_end", "card_delivery_municipality", "document_type")),
    NATIONAL_NUMBER("national_number", List.of("national_number")),
    PHOTO("photo", List.of("photo"));

    private final String value;
    private final List<String> claims;

    Scope(String value, List<String> claims) {
        this.value = value;
        this.claims = claims;
    }

    public String value() {
        return value;
    }

    public List<String> claims() {
        return claims;
    }

    public static Optional<Scope> of(String value) {
        for (Scope s : values()) {
            if (s.value.equals(value)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
