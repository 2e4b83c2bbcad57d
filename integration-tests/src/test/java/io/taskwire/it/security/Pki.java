package io.taskwire.it.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificate authorities and certificates made for one test run (EC P-256, written as PEM files),
 * so that no private key is ever committed.
 */
final class Pki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate and its key as PEM files; {@link #ca()} is the file of the CA that signed it. */
    record Issued(Path certificate, Path privateKey, Path ca) {
    }

    /** A certificate authority. */
    static final class Authority {
        private final Path dir;
        private final String name;
        private final KeyPair keys;
        private final X509Certificate certificate;
        final Path certificateFile;

        private Authority(Path dir, String name) {
            this.dir = dir;
            this.name = name;
            this.keys = keyPair();
            Instant now = Instant.now();
            this.certificate = sign(new X500Name("CN=" + name), keys, new X500Name("CN=" + name), keys,
                    now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1)), true, List.of(), null);
            this.certificateFile = write(dir.resolve(name + ".crt"), "CERTIFICATE", encoded(certificate));
        }

        /** A server certificate valid now for these DNS names. */
        Issued server(String file, String... dnsNames) {
            return issue(file, Instant.now().minus(Duration.ofMinutes(1)), Instant.now().plus(Duration.ofDays(1)),
                    KeyPurposeId.id_kp_serverAuth, dnsNames);
        }

        /** A client certificate valid now. */
        Issued client(String file) {
            return issue(file, Instant.now().minus(Duration.ofMinutes(1)), Instant.now().plus(Duration.ofDays(1)),
                    KeyPurposeId.id_kp_clientAuth);
        }

        /** A client certificate that expired yesterday. */
        Issued expiredClient(String file) {
            return issue(file, Instant.now().minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(1)),
                    KeyPurposeId.id_kp_clientAuth);
        }

        private Issued issue(String file, Instant notBefore, Instant notAfter, KeyPurposeId purpose, String... dnsNames) {
            KeyPair subject = keyPair();
            X509Certificate certificate = sign(new X500Name("CN=" + file), subject, new X500Name("CN=" + name), keys,
                    notBefore, notAfter, false, List.of(dnsNames), purpose);
            return new Issued(write(dir.resolve(file + ".crt"), "CERTIFICATE", encoded(certificate)),
                    write(dir.resolve(file + ".key"), "PRIVATE KEY", subject.getPrivate().getEncoded()), certificateFile);
        }
    }

    private Pki() {
    }

    /** A new CA whose files go to {@code dir}. */
    static Authority authority(Path dir, String name) {
        return new Authority(dir, name);
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                        Instant notBefore, Instant notAfter, boolean ca, List<String> dnsNames,
                                        KeyPurposeId purpose) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject,
                    subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            if (purpose != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            if (!dnsNames.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, String type, byte[] der) {
        String pem = "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        try {
            return Files.writeString(file, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
