package be.idsvc.tls;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.GeneralSecurityException;

import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactorySpi;

/** {@link ExactPinOrCaTrustManager} as a JCA trust manager factory, for containers that take an algorithm name (WildFly's Elytron). */
public final class ExactPinOrCaTrustManagerFactory extends TrustManagerFactorySpi {
    private ExactPinOrCaTrustManager trustManager;

    @Override
    protected void engineInit(KeyStore truststore) throws KeyStoreException {
        try {
            trustManager = new ExactPinOrCaTrustManager(truststore);
        } catch (KeyStoreException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new KeyStoreException("cannot build the client trust from the truststore", e);
        }
    }

    @Override
    protected void engineInit(ManagerFactoryParameters spec) throws InvalidAlgorithmParameterException {
        throw new InvalidAlgorithmParameterException("initialise with the client truststore, not with parameters");
    }

    @Override
    protected TrustManager[] engineGetTrustManagers() {
        if (trustManager == null) throw new IllegalStateException("not initialised");
        return new TrustManager[] {trustManager};
    }
}
