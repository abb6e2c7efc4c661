package dev.alloplace.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;

/**
 * An Ed25519 key pair that is someone's identity: the place's own, or an agent's. Its public
 * key, as base64url text, is what others know it by. Immutable; signing may happen on any thread.
 */
public final class IdentityKey {

    private static final byte[] SELF_TEST = "alloplace identity key self-test".getBytes(StandardCharsets.US_ASCII);

    private final PrivateKey privateKey;
    private final byte[] publicKey;
    private final String publicKeyText;

    private IdentityKey(PrivateKey privateKey, byte[] publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey.clone();
        this.publicKeyText = Base64Url.encode(publicKey);
    }

    /** A fresh key from the JDK's strong random source. */
    public static IdentityKey generate() {
        return of(Ed25519.generate());
    }

    /** A JDK Ed25519 key pair (the private key with its seed, as the JDK's own generator makes it). */
    public static IdentityKey of(KeyPair pair) {
        Ed25519.seed(pair.getPrivate());
        return checked(pair.getPrivate(), Ed25519.raw(pair.getPublic()));
    }

    /**
     * The key of a 32-byte seed and the public key that must belong to it; a public key that does
     * not (a damaged or edited key file) is refused rather than used to sign.
     */
    public static IdentityKey fromSeed(byte[] seed, byte[] publicKey) throws GeneralSecurityException {
        return checked(Ed25519.privateKey(seed), publicKey);
    }

    private static IdentityKey checked(PrivateKey privateKey, byte[] publicKey) {
        if (!Ed25519.verify(publicKey, SELF_TEST, Ed25519.sign(privateKey, SELF_TEST))) {
            throw new IllegalArgumentException("the public key does not belong to the private key");
        }
        return new IdentityKey(privateKey, publicKey);
    }

    /** The 32 raw bytes of the public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public key as base64url text: how the protocol, the ACL and the admin API name it. */
    public String publicKeyText() {
        return publicKeyText;
    }

    /** The 32-byte seed; only for writing a key file. */
    byte[] seed() {
        return Ed25519.seed(privateKey);
    }

    public byte[] sign(byte[] message) {
        return Ed25519.sign(privateKey, message);
    }

    @Override
    public String toString() {
        return "IdentityKey[" + publicKeyText + "]";
    }
}
