package be.idsvc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PkceTest {
    @Test
    void rfc7636AppendixBExample() {
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assertTrue(Pkce.matches("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    @Test
    void wrongOrMalformedVerifierDoesNotMatch() {
        assertFalse(Pkce.matches("eBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        assertFalse(Pkce.matches("tooshort", Pkce.s256("tooshort")));
        assertFalse(Pkce.matches(null, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    @Test
    void pairwiseSubjectIsStablePerSectorAndDiffersAcrossSectors() {
        PairwiseSubject p = new PairwiseSubject(new byte[32]);
        assertEquals(p.subject("a.example", "85073003328"), p.subject("a.example", "85073003328"));
        assertFalse(p.subject("a.example", "85073003328").equals(p.subject("b.example", "85073003328")));
        assertFalse(p.subject("a.example", "85073003328").equals(new PairwiseSubject(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}).subject("a.example", "85073003328")));
    }
}
