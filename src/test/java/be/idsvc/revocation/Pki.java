package be.idsvc.revocation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import com.sun.net.httpserver.HttpServer;

import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.pki.CertificateIssuer.Spec;

/** Test PKI: CAs, client certificates with CDP / AIA, CRLs, loopback CRL and OCSP servers, a settable clock, a log capture. */
public final class Pki {
    private Pki() {}

    static final String CA_DN = "CN=Revocation Test CA,O=Identification Service Test,C=BE";

    /** A client certificate of {@code ca}, optionally naming a CRL distribution point and an OCSP responder. */
    static Issued client(Issued ca, String subjectDn, String crlUrl, String ocspUrl) {
        Spec spec = Spec.endEntity(subjectDn, Duration.ofDays(30))
                .withExtendedKeyUsages(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth)
                .customize(b -> {
                    try {
                        if (crlUrl != null) {
                            GeneralNames names = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl));
                            b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                                    new DistributionPoint(new DistributionPointName(names), null, null) }));
                        }
                        if (ocspUrl != null) {
                            b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                                    AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl)));
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
        return CertificateIssuer.issue(spec, ca);
    }

    /** A delegated OCSP responder certificate of {@code ca} (EKU id-kp-OCSPSigning unless {@code withEku} is false). */
    static Issued ocspResponder(Issued ca, boolean withEku) {
        Spec spec = Spec.endEntity("CN=OCSP Responder,O=Identification Service Test,C=BE", Duration.ofDays(30));
        if (withEku) spec = spec.withExtendedKeyUsages(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_OCSPSigning);
        return CertificateIssuer.issue(spec, ca);
    }

    /** A CRL of {@code signer} named as issued by {@code issuerCert}'s subject, revoking the serials given (keyCompromise). */
    static X509CRL crl(X509Certificate issuerCert, PrivateKey signer, Instant thisUpdate, Instant nextUpdate, Map<BigInteger, Instant> revoked) {
        return crl(issuerCert, signer, thisUpdate, nextUpdate, revoked, null);
    }

    /** With an issuing distribution point naming {@code idpUrl} (a partitioned CRL) when not null. */
    static X509CRL crl(X509Certificate issuerCert, PrivateKey signer, Instant thisUpdate, Instant nextUpdate, Map<BigInteger, Instant> revoked,
            String idpUrl) {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(issuerCert.getSubjectX500Principal().getEncoded()),
                    Date.from(thisUpdate));
            if (nextUpdate != null) b.setNextUpdate(Date.from(nextUpdate));
            for (Map.Entry<BigInteger, Instant> e : revoked.entrySet()) {
                b.addCRLEntry(e.getKey(), Date.from(e.getValue()), CRLReason.keyCompromise);
            }
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuerCert.getPublicKey()));
            if (idpUrl != null) {
                b.addExtension(Extension.issuingDistributionPoint, true, new org.bouncycastle.asn1.x509.IssuingDistributionPoint(
                        new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, idpUrl))),
                        false, false));
            }
            b.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(BigInteger.valueOf(System.nanoTime())));
            return new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder(CertificateIssuer.signatureAlgorithm(signer)).build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static X509CRL crl(Issued ca, Instant thisUpdate, Instant nextUpdate, Map<BigInteger, Instant> revoked) {
        return crl(ca.certificate(), ca.privateKey(), thisUpdate, nextUpdate, revoked);
    }

    public static String pem(X509CRL crl) {
        try {
            return "-----BEGIN X509 CRL-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(crl.getEncoded())
                    + "\n-----END X509 CRL-----\n";
        } catch (java.security.cert.CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Log records of the revocation package (and of ClientAuthenticator when asked). */
    static final class LogCapture extends Handler implements AutoCloseable {
        final List<LogRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<Logger> loggers = new ArrayList<>();

        LogCapture(String... names) {
            setLevel(Level.ALL);
            for (String n : names) {
                Logger l = Logger.getLogger(n);
                l.addHandler(this);
                loggers.add(l);
            }
        }

        static LogCapture revocation() {
            return new LogCapture("be.idsvc.revocation");
        }

        List<String> messages(Level level) {
            synchronized (records) {
                return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
            }
        }

        List<String> all() {
            synchronized (records) {
                return records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
            }
        }

        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            for (Logger l : loggers) l.removeHandler(this);
        }
    }

    /** A loopback HTTP server serving the bytes of one path. */
    static final class CrlServer implements AutoCloseable {
        final HttpServer server;
        final AtomicReference<byte[]> body = new AtomicReference<>();
        final AtomicInteger requests = new AtomicInteger();

        CrlServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/ca.crl", ex -> {
                requests.incrementAndGet();
                byte[] b = body.get();
                if (b == null) {
                    ex.sendResponseHeaders(404, -1);
                } else {
                    ex.getResponseHeaders().set("Content-Type", "application/pkix-crl");
                    ex.sendResponseHeaders(200, b.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(b);
                    }
                }
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/ca.crl";
        }

        void serve(X509CRL crl) throws Exception {
            body.set(crl.getEncoded());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** What the OCSP test responder does with the nonce of a request. */
    enum Nonce { ECHO, WRONG, OMIT }

    /** A loopback OCSP responder answering with BC's BasicOCSPRespBuilder. */
    static final class OcspServer implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger requests = new AtomicInteger();
        final Map<BigInteger, CertificateStatus> statuses = new ConcurrentHashMap<>();
        volatile PrivateKey signingKey;
        volatile X509Certificate[] signerChain;
        volatile X509Certificate responderId;
        volatile Nonce nonce = Nonce.ECHO;
        volatile Duration nextUpdateIn = Duration.ofHours(1);
        volatile Duration thisUpdateAgo = Duration.ZERO;

        /** Signed by the CA itself. */
        OcspServer(Issued ca) throws IOException {
            signedBy(ca.certificate(), ca.privateKey());
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/ocsp", ex -> {
                requests.incrementAndGet();
                byte[] answer;
                try (InputStream in = ex.getRequestBody()) {
                    answer = respond(new OCSPReq(in.readAllBytes()));
                } catch (Exception e) {
                    answer = null;
                }
                if (answer == null) {
                    ex.sendResponseHeaders(500, -1);
                } else {
                    ex.getResponseHeaders().set("Content-Type", "application/ocsp-response");
                    ex.sendResponseHeaders(200, answer.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(answer);
                    }
                }
                ex.close();
            });
            server.start();
        }

        /** Responses signed by this key; {@code certs} travel in the response (a delegated responder's chain). */
        void signedBy(X509Certificate responder, PrivateKey key, X509Certificate... certs) {
            this.responderId = responder;
            this.signingKey = key;
            this.signerChain = certs;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/ocsp";
        }

        private byte[] respond(OCSPReq req) throws Exception {
            JcaBasicOCSPRespBuilder b = new JcaBasicOCSPRespBuilder(responderId.getPublicKey(),
                    new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1));
            Instant now = Instant.now();
            for (Req r : req.getRequestList()) {
                CertificateID id = r.getCertID();
                CertificateStatus s = statuses.getOrDefault(id.getSerialNumber(), CertificateStatus.GOOD);
                b.addResponse(id, s, Date.from(now.minus(thisUpdateAgo)), nextUpdateIn == null ? null : Date.from(now.plus(nextUpdateIn)));
            }
            Extension requested = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce == Nonce.ECHO && requested != null) {
                b.setResponseExtensions(new org.bouncycastle.asn1.x509.Extensions(requested));
            } else if (nonce == Nonce.WRONG) {
                b.setResponseExtensions(new org.bouncycastle.asn1.x509.Extensions(new Extension(
                        OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(new DEROctetString(new byte[16]).getEncoded()))));
            }
            X509CertificateHolder[] chain = new X509CertificateHolder[signerChain.length];
            for (int i = 0; i < chain.length; i++) chain[i] = new JcaX509CertificateHolder(signerChain[i]);
            BasicOCSPResp basic = b.build(new JcaContentSignerBuilder(CertificateIssuer.signatureAlgorithm(signingKey)).build(signingKey),
                    chain, new Date());
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static URI uri(String s) {
        return URI.create(s);
    }
}
