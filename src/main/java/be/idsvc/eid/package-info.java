/**
 * Verification of Belgian eID card readouts, as BeIDConnect posts them: the pure core shared by
 * the web endpoint, the admin CLI and the benchmark (no servlet or JAX-RS here).
 *
 * <p>Entry points: {@link be.idsvc.eid.Readout} (the posted files, size-limited),
 * {@link be.idsvc.eid.EidTrust} (what is trusted), {@link be.idsvc.eid.ReadoutVerifier} (the
 * checks, in a fixed order), {@link be.idsvc.eid.VerifiedCard} (the result) and
 * {@link be.idsvc.eid.ReadoutRejected} (one precise reason per failure, messages free of personal
 * data). The facts behind the checks are in {@code docs/beid-readout.md}.
 *
 * <p>The verifier itself reads no files and fetches nothing: {@link be.idsvc.eid.EidTrustConfig}
 * loads a service home's eID trust and settings, and {@link be.idsvc.eid.EidRevocation} checks the
 * authentication certificate's revocation through {@code be.idsvc.revocation} (OCSP/CRL), behind
 * {@link be.idsvc.eid.AuthCertificateRevocation}. Not done here: the Kids-ID and foreigner-card
 * specifics beyond parsing.
 */
package be.idsvc.eid;
