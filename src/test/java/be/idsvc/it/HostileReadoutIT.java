package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import be.idsvc.identify.BrowserBinding;
import be.idsvc.identify.SandboxCards;
import be.idsvc.testclient.Browser;
import be.idsvc.testclient.RelyingParty;

/**
 * Tampered eID readouts posted to the real readout page: every field missing, empty, not base64,
 * oversized, truncated, with a flipped byte, swapped with another field, and duplicated; the
 * certificates with broken ASN.1 lengths, the card files with broken TLV lengths. Each is refused
 * with its exact status (400: the post is not a readout; 403: the card's data does not verify) and
 * attaches no identity; the same flow then identifies with a correct readout.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileReadoutIT {
    final ServerUnderTest s = ServerUnderTest.get();
    static final List<String> FIELDS = List.of("id", "addr", "photo", "idsig", "addrsig", "rrncert", "authcert", "cacert", "rootcert", "authsig");
    static final List<String> CERTIFICATES = List.of("rrncert", "authcert", "cacert", "rootcert");

    /** A browser with a flow at the readout page. */
    record Target(Browser browser, String flow, String secret) {}

    SandboxCards.Card card;
    /** Receives every refused readout: must never get an identity. */
    Target refused;
    /** Receives the tamperings of what the service ignores: each is identified as the untampered card. */
    Target inert;
    Hostile.StoreWatch store;
    int logMark;

    @BeforeAll
    void aFlowAtTheReadout() {
        card = new SandboxCards(s.home().resolve("sandbox/cards")).find("alice").orElseThrow();
        refused = target();
        inert = target();
        logMark = Hostile.logMark(s);
        store = new Hostile.StoreWatch(s);
    }

    private Target target() {
        Browser browser = Flows.browser(s);
        HttpResponse<String> identify = browser.follow(browser.get(Flows.demoClient(s).authorization("openid profile").url()), Flows.publicOrigin(s));
        assertEquals(200, identify.statusCode(), identify.body());
        return new Target(browser, Browser.hiddenFields(identify.body()).get("flow"), browser.cookie(BrowserBinding.COOKIE).orElseThrow());
    }

    /** A fresh readout page and the card's correct answer to its challenge. */
    private Map<String, String> correct(Target t) {
        HttpResponse<String> page = t.browser().get(s.publicBase().resolve("/readout?flow=" + t.flow()));
        assertEquals(200, page.statusCode(), page.body());
        Map<String, String> form = new HashMap<>(Browser.hiddenFields(page.body()));
        byte[] challenge = Base64.getUrlDecoder().decode(form.get("challenge"));
        try {
            form.putAll(card.readout().withAuthSignature(card.signChallenge(challenge)).toFields());
        } catch (be.idsvc.eid.ReadoutRejected e) {
            throw new IllegalStateException(e);
        }
        form.remove("error");
        return form;
    }

    private static byte[] bytes(Map<String, String> form, String field) {
        return Base64.getDecoder().decode(form.get(field));
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** A tampering of one field, and the status it earns. */
    record Tampering(String field, String how, int status) {
        @Override public String toString() { return field + ": " + how + " -> " + status; }
    }

    static List<Tampering> tamperings() {
        List<Tampering> out = new ArrayList<>();
        for (String f : FIELDS) {
            boolean inert = f.equals("cacert") || f.equals("rootcert");
            // without the challenge signature, or the certificate that checks it, the PIN is not proven: 403;
            // cacert and rootcert are the card's copies of its CA certificates, which the service never needs
            int missing = f.equals("authsig") || f.equals("authcert") ? 403 : inert ? 303 : 400;
            out.add(new Tampering(f, "missing", missing));
            out.add(new Tampering(f, "empty", missing));
            out.add(new Tampering(f, "not base64", 400));
            out.add(new Tampering(f, "base64url instead of base64", 400));
            out.add(new Tampering(f, "oversized", 400));
            out.add(new Tampering(f, "duplicated", 400));
            out.add(new Tampering(f, "duplicated with another value", 400));
            if (f.equals("rootcert")) continue; // the sandbox cards carry none
            int content = inert ? 303 : 403;
            out.add(new Tampering(f, "one byte", content));
            out.add(new Tampering(f, "truncated to half", content));
            out.add(new Tampering(f, "first byte flipped", content));
            out.add(new Tampering(f, "middle byte flipped", content));
            out.add(new Tampering(f, "last byte flipped", content));
            // a card's certificate file is its DER element followed by padding: what follows the element is ignored
            out.add(new Tampering(f, "trailing garbage", CERTIFICATES.contains(f) ? 303 : 403));
            out.add(new Tampering(f, "swapped with the next field", content));
        }
        for (String f : List.of("rrncert", "authcert", "cacert")) {
            for (String how : List.of("outer length huge", "outer length indefinite", "outer length one too long", "outer length one too short",
                    "inner length huge", "wrong outer tag", "another certificate of the card")) {
                out.add(new Tampering(f, how, f.equals("cacert") ? 303 : 403));
            }
        }
        for (String f : List.of("id", "addr")) {
            for (String how : List.of("first TLV length 0xFF", "first TLV length past the end", "first tag duplicated", "first tag changed")) {
                out.add(new Tampering(f, how, 403));
            }
        }
        out.add(new Tampering("challenge", "missing", 400));
        out.add(new Tampering("challenge", "another", 403));
        out.add(new Tampering("challenge", "not base64url", 400));
        out.add(new Tampering("challenge", "duplicated", 400));
        return out;
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperings")
    void aTamperedReadoutIsRefused(Tampering t) {
        Target target = t.status() == 303 ? inert : refused;
        Map<String, String> form = correct(target);
        String f = t.field();
        String extra = null;
        switch (t.how()) {
            case "missing" -> form.remove(f);
            case "empty" -> form.put(f, "");
            case "not base64" -> form.put(f, "!!!not*base64!!!");
            case "base64url instead of base64" -> form.put(f, form.get(f).replace('+', '-').replace('/', '_') + "-_");
            case "oversized" -> form.put(f, b64(new byte[f.equals("photo") ? 70_000 : 9_000]));
            case "one byte" -> form.put(f, b64(new byte[] {0x30}));
            case "truncated to half" -> form.put(f, b64(Arrays.copyOf(bytes(form, f), contentEnd(bytes(form, f)) / 2)));
            case "first byte flipped" -> form.put(f, b64(flip(bytes(form, f), 0)));
            case "middle byte flipped" -> form.put(f, b64(flip(bytes(form, f), bytes(form, f).length / 2)));
            case "last byte flipped" -> form.put(f, b64(flip(bytes(form, f), contentEnd(bytes(form, f)) - 1)));
            case "trailing garbage" -> form.put(f, b64(concat(bytes(form, f), new byte[] {1, 2, 3, 4})));
            case "swapped with the next field" -> form.put(f, form.get(FIELDS.get((FIELDS.indexOf(f) + 1) % FIELDS.size())));
            case "duplicated" -> extra = form.get(f);
            case "duplicated with another value" -> extra = form.get(FIELDS.get((FIELDS.indexOf(f) + 1) % FIELDS.size()));
            case "outer length huge" -> form.put(f, b64(withLength(bytes(form, f), new byte[] {(byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff})));
            case "outer length indefinite" -> form.put(f, b64(withLength(bytes(form, f), new byte[] {(byte) 0x80})));
            case "outer length one too long" -> form.put(f, b64(withLength(bytes(form, f), derLength(contentLength(bytes(form, f)) + 1))));
            case "outer length one too short" -> form.put(f, b64(withLength(bytes(form, f), derLength(contentLength(bytes(form, f)) - 1))));
            case "inner length huge" -> {
                byte[] der = bytes(form, f);
                int inner = 1 + lengthOctets(der);
                byte[] head = Arrays.copyOf(der, inner);
                byte[] rest = Arrays.copyOfRange(der, inner, der.length);
                form.put(f, b64(concat(head, withLength(rest, new byte[] {(byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}))));
            }
            case "wrong outer tag" -> {
                byte[] der = bytes(form, f);
                der[0] = 0x31;
                form.put(f, b64(der));
            }
            case "another certificate of the card" -> form.put(f, form.get(f.equals("authcert") ? "rrncert" : "authcert"));
            case "first TLV length 0xFF" -> {
                byte[] tlv = bytes(form, f);
                tlv[1] = (byte) 0xff;
                form.put(f, b64(tlv));
            }
            case "first TLV length past the end" -> {
                byte[] tlv = bytes(form, f);
                tlv[1] = (byte) 0x7f;
                form.put(f, b64(Arrays.copyOf(tlv, Math.min(tlv.length, 40))));
            }
            case "first tag duplicated" -> {
                byte[] tlv = bytes(form, f);
                int first = 2 + (tlv[1] & 0xff);
                form.put(f, b64(concat(Arrays.copyOf(tlv, first), tlv)));
            }
            case "first tag changed" -> form.put(f, b64(flip(bytes(form, f), 0)));
            case "another" -> form.put(f, Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));
            case "not base64url" -> form.put(f, "!!!");
            default -> throw new IllegalArgumentException(t.how());
        }
        List<String> pairs = new ArrayList<>();
        form.forEach((k, v) -> {
            pairs.add(k);
            pairs.add(v);
        });
        if (extra != null) {
            pairs.add(f);
            pairs.add(extra);
        }
        HttpResponse<String> r = Hostile.watched(Hostile.postForm(
                Hostile.client(s.sslContextWithoutClientCert()), s.publicBase().resolve("/readout"),
                Hostile.form(pairs.toArray(String[]::new)), "Accept", "text/html", "Cookie", cookie(target)));
        assertEquals(t.status(), r.statusCode(), r.body());
        if (t.status() == 303) {
            assertTrue(r.headers().firstValue("Location").orElse("").contains("/consent?flow=" + target.flow()), r.headers().map().toString());
            return;
        }
        assertTrue(r.headers().firstValue("Location").isEmpty(), "went on to " + r.headers().firstValue("Location"));
        assertTrue(r.body().contains("id=\"error\""), r.body());
    }

    private static String cookie(Target t) {
        return BrowserBinding.COOKIE + "=" + t.secret();
    }

    /** Where a card file's content ends: after its last non-zero byte (files are zero-padded). */
    private static int contentEnd(byte[] file) {
        int end = file.length;
        while (end > 1 && file[end - 1] == 0) end--;
        return end;
    }

    private static byte[] flip(byte[] b, int i) {
        byte[] c = b.clone();
        c[i] ^= 0x01;
        return c;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** How many octets the DER length at offset 1 takes. */
    private static int lengthOctets(byte[] der) {
        int first = der[1] & 0xff;
        return first < 0x80 ? 1 : 1 + (first & 0x7f);
    }

    private static int contentLength(byte[] der) {
        int first = der[1] & 0xff;
        if (first < 0x80) return first;
        int len = 0;
        for (int i = 0; i < (first & 0x7f); i++) len = (len << 8) | (der[2 + i] & 0xff);
        return len;
    }

    private static byte[] derLength(int len) {
        return len < 0x80 ? new byte[] {(byte) len} : len < 0x100 ? new byte[] {(byte) 0x81, (byte) len}
                : new byte[] {(byte) 0x82, (byte) (len >> 8), (byte) len};
    }

    /** The element with its outer length octets replaced. */
    private static byte[] withLength(byte[] der, byte[] length) {
        byte[] content = Arrays.copyOfRange(der, 1 + lengthOctets(der), der.length);
        return concat(concat(new byte[] {der[0]}, length), content);
    }

    @Order(2)
    @Test
    void noIdentityWasAttachedAndTheFlowStillIdentifies() {
        // the inert target's flow was identified (as the untampered card): one flow more with an identity
        store.assertUnchanged("challenges", "flows with identity");
        HttpResponse<String> consent = Hostile.watched(refused.browser().get(s.publicBase().resolve("/consent?flow=" + refused.flow())));
        assertEquals(303, consent.statusCode(), "no identity attached: consent sends back to identify");
        assertTrue(consent.headers().firstValue("Location").orElse("").contains("/identify?flow="));
        HttpResponse<String> ok = Hostile.watched(Hostile.postForm(Hostile.client(s.sslContextWithoutClientCert()), s.publicBase().resolve("/readout"),
                RelyingParty.form(correct(refused)), "Accept", "text/html", "Cookie", cookie(refused)));
        assertEquals(303, ok.statusCode(), ok.body());
        assertTrue(ok.headers().firstValue("Location").orElse("").contains("/consent?flow=" + refused.flow()));
    }

    @AfterAll
    void quiet() {
        Hostile.assertQuietSince(s, logMark);
    }
}
