package be.idsvc.tls;

import java.security.Provider;

/**
 * Offers the trust manager factory {@value #TRUST_MANAGER_ALGORITHM}. Loaded by WildFly's Elytron
 * {@code provider-loader} from the module {@code be.idsvc.tls}; not registered JVM-wide.
 */
public final class IdsvcTlsProvider extends Provider {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "IdsvcTls";
    public static final String TRUST_MANAGER_ALGORITHM = "IdsvcExactPinOrCa";

    public IdsvcTlsProvider() {
        super(NAME, "1.0", "Identification Service: exact pins or client CAs for the mtls connector");
        // a Service that constructs directly: no reflective class loading across module class loaders
        putService(new Service(this, "TrustManagerFactory", TRUST_MANAGER_ALGORITHM,
                ExactPinOrCaTrustManagerFactory.class.getName(), null, null) {
            @Override
            public Object newInstance(Object constructorParameter) {
                return new ExactPinOrCaTrustManagerFactory();
            }
        });
    }
}
