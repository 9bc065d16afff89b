package be.idsvc.eid;

/** One-byte changes to one file of a readout, everything else unchanged. */
final class Tamper {
    private Tamper() {}

    private static byte[] flip(byte[] b, int index) {
        byte[] c = b.clone();
        c[index] ^= 0x01;
        return c;
    }

    private static Readout with(Readout r, byte[] id, byte[] addr, byte[] photo, byte[] idsig, byte[] addrsig, byte[] rrn) throws ReadoutRejected {
        return new Readout(id, addr, photo, idsig, addrsig, rrn, r.authCertificate(), r.signCertificate(),
                r.caCertificate(), r.rootCertificate(), r.authSignature());
    }

    static Readout identity(Readout r, int i) throws ReadoutRejected {
        return with(r, flip(r.identity(), i), r.address(), r.photo(), r.identitySignature(), r.addressSignature(), r.rrnCertificate());
    }

    static Readout address(Readout r, int i) throws ReadoutRejected {
        return with(r, r.identity(), flip(r.address(), i), r.photo(), r.identitySignature(), r.addressSignature(), r.rrnCertificate());
    }

    static Readout photo(Readout r, int i) throws ReadoutRejected {
        return with(r, r.identity(), r.address(), flip(r.photo(), i), r.identitySignature(), r.addressSignature(), r.rrnCertificate());
    }

    static Readout identitySignature(Readout r, int i) throws ReadoutRejected {
        return with(r, r.identity(), r.address(), r.photo(), flip(r.identitySignature(), i), r.addressSignature(), r.rrnCertificate());
    }

    static Readout addressSignature(Readout r, int i) throws ReadoutRejected {
        return with(r, r.identity(), r.address(), r.photo(), r.identitySignature(), flip(r.addressSignature(), i), r.rrnCertificate());
    }

    static Readout rrnCertificate(Readout r, int i) throws ReadoutRejected {
        return with(r, r.identity(), r.address(), r.photo(), r.identitySignature(), r.addressSignature(), flip(r.rrnCertificate(), i));
    }
}
