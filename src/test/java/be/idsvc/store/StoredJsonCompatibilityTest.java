package be.idsvc.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import be.idsvc.core.AccessTokenGrant;
import be.idsvc.core.CodeGrant;
import be.idsvc.core.Identity;
import be.idsvc.core.Scope;
import be.idsvc.json.Json;

/**
 * Issue 21: the sealed store records keep the JSON jose4j wrote, byte for byte (a node of the old
 * version reads what a new one sealed, and the other way round), and what jose4j wrote reads back
 * to the same values.
 */
public class StoredJsonCompatibilityTest {
    /** Claims with what JSON escaping can get wrong: quotes, backslash, controls, non-ASCII, U+2028, an emoji. */
    public static Map<String, Object> claims() {
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("street_address", "Rue de l'Exemple 7 bte 3");
        address.put("postal_code", "5000");
        address.put("locality", "Namur");
        address.put("country", "BE");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "d0KDhRDB/x+y=");
        claims.put("name", "Zoë Dupré-L\u2019Écuyer \"quoted\" \\ \u0001\u007f\u0085\u00a0\u2028\u20ac\u2100 😀");
        claims.put("address", address);
        claims.put("amr", List.of("test"));
        claims.put("auth_time", 1_700_000_000L);
        claims.put("email_verified", false);
        return claims;
    }

    private static final Identity ID = new Identity("85073003328", claims(), "urn:be:idsvc:acr:sandbox-test", List.of("test", "pin"), 1_700_000_000L);

    private static String golden(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/json-golden", name), StandardCharsets.UTF_8);
    }

    @Test
    void sealedRecordsAreWrittenAsBefore() throws Exception {
        assertEquals(golden("stored-identity.json"), Json.write(StoredJson.of(ID)));
        assertEquals(golden("stored-code.json"), Json.write(StoredJson.of(new CodeGrant("demo-client", "http://127.0.0.1:8765/callback",
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "n-0S6_WzA2Mj", Set.of(Scope.OPENID, Scope.PROFILE), ID))));
        assertEquals(golden("stored-code-nonce-absent.json"), Json.write(StoredJson.of(new CodeGrant("demo-client", "http://127.0.0.1:8765/callback",
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", null, Set.of(Scope.OPENID), ID))));
        assertEquals(golden("stored-access-token.json"), Json.write(StoredJson.of(new AccessTokenGrant("demo-client",
                "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2", Set.of(Scope.OPENID, Scope.PROFILE, Scope.ADDRESS), claims(), 4_000_000_000L))));
    }

    @Test
    void recordsJose4jSealedReadBackTheSame() throws Exception {
        assertEquals(ID, StoredJson.identity(Json.readObject(golden("stored-identity.json"))));
        CodeGrant code = StoredJson.codeGrant(Json.readObject(golden("stored-code.json")));
        assertEquals(new CodeGrant("demo-client", "http://127.0.0.1:8765/callback", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                "n-0S6_WzA2Mj", Set.of(Scope.OPENID, Scope.PROFILE), ID), code);
        AccessTokenGrant token = StoredJson.accessTokenGrant(Json.readObject(golden("stored-access-token.json")));
        assertEquals(claims(), token.claims());
        assertEquals(4_000_000_000L, token.expiresAt());
        assertEquals(1_700_000_000L, token.claims().get("auth_time"), "integers come back as Long, as they did from jose4j");
    }
}
