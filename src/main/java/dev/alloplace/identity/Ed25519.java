package dev.alloplace.identity;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Set;

/**
 * Ed25519 (RFC 8032) through the JDK's own provider, in the raw forms the protocol uses: a
 * public key is its 32-byte encoding, a private key its 32-byte seed, a signature 64 bytes. The
 * same bytes libsodium ({@code crypto_sign_seed_keypair}, {@code crypto_sign_detached}) and
 * WebCrypto ({@code "Ed25519"}, raw public keys) read and write.
 */
public final class Ed25519 {

    public static final int PUBLIC_KEY_BYTES = 32;
    public static final int SEED_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;
    private static final String ALGORITHM = "Ed25519";
    /** The DER of a SubjectPublicKeyInfo for Ed25519 (RFC 8410), up to the 32 key bytes. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    /** The field prime 2^255 - 19. */
    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    /**
     * The y coordinates of the eight points of small order (the identity, the point of order 2,
     * the two of order 4, the four of order 8): a "public key" among them is proved by trivial
     * signatures anyone can make, so it is nobody's key. libsodium refuses them too.
     */
    private static final Set<BigInteger> SMALL_ORDER_Y = Set.of(BigInteger.ZERO, BigInteger.ONE, P.subtract(BigInteger.ONE),
            new BigInteger("05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826", 16),
            new BigInteger("7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7", 16));

    private Ed25519() {
    }

    /**
     * Whether 32 raw bytes can be someone's key: the canonical encoding of a y coordinate below
     * the field prime, and no point of small order. (Whether they are a point at all the
     * verification finds out.)
     */
    public static boolean acceptableKey(byte[] raw) {
        if (raw.length != PUBLIC_KEY_BYTES) {
            return false;
        }
        byte[] bigEndian = new byte[PUBLIC_KEY_BYTES];
        for (int i = 0; i < PUBLIC_KEY_BYTES; i++) {
            bigEndian[i] = raw[PUBLIC_KEY_BYTES - 1 - i];
        }
        bigEndian[0] &= 0x7f; // the sign of x
        BigInteger y = new BigInteger(1, bigEndian);
        return y.compareTo(P) < 0 && !SMALL_ORDER_Y.contains(y);
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /** The JDK key for 32 raw bytes; throws when they are no point of the curve. */
    public static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        if (raw.length != PUBLIC_KEY_BYTES) {
            throw new java.security.InvalidKeyException("an Ed25519 public key has 32 bytes, not " + raw.length);
        }
        byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + PUBLIC_KEY_BYTES);
        System.arraycopy(raw, 0, der, X509_PREFIX.length, PUBLIC_KEY_BYTES);
        return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    }

    public static PrivateKey privateKey(byte[] seed) throws GeneralSecurityException {
        if (seed.length != SEED_BYTES) {
            throw new java.security.InvalidKeyException("an Ed25519 private key has 32 bytes, not " + seed.length);
        }
        return KeyFactory.getInstance(ALGORITHM).generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
    }

    /** The 32 raw bytes of a JDK Ed25519 public key. */
    public static byte[] raw(PublicKey key) {
        byte[] der = key.getEncoded();
        if (!ALGORITHM.equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm())
                || der == null || der.length != X509_PREFIX.length + PUBLIC_KEY_BYTES
                || !Arrays.equals(der, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        return Arrays.copyOfRange(der, X509_PREFIX.length, der.length);
    }

    /** The 32-byte seed of a JDK Ed25519 private key. */
    public static byte[] seed(PrivateKey key) {
        if (key instanceof java.security.interfaces.EdECPrivateKey edec && edec.getBytes().isPresent()
                && edec.getBytes().get().length == SEED_BYTES) {
            return edec.getBytes().get();
        }
        throw new IllegalArgumentException("not an Ed25519 private key with its seed: " + key.getAlgorithm());
    }

    public static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /**
     * Whether {@code signature} is the holder of {@code rawPublicKey}'s over {@code message};
     * false for any malformed input and for keys that are nobody's ({@link #acceptableKey}).
     */
    public static boolean verify(byte[] rawPublicKey, byte[] message, byte[] signature) {
        if (!acceptableKey(rawPublicKey) || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(publicKey(rawPublicKey));
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
