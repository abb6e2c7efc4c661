package dev.alloplace.identity;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one identity proof costs: the place's signature in its challenge answer and the check of
 * the agent's signature (both on the signature thread), and what stays on the place thread for
 * a signed announce (decoding the key and signature text, building the agent proof).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IdentityBenchmark {

    private IdentityKey place;
    private IdentityKey agent;
    private byte[] clientNonce;
    private byte[] serverNonce;
    private byte[] placeProof;
    private byte[] agentProof;
    private byte[] agentSignature;
    private String keyText;
    private String signatureText;

    @Setup
    public void setup() {
        SecureRandom random = new SecureRandom();
        place = IdentityKey.generate();
        agent = IdentityKey.generate();
        clientNonce = new byte[32];
        serverNonce = new byte[32];
        random.nextBytes(clientNonce);
        random.nextBytes(serverNonce);
        placeProof = IdentityProof.placeProof(clientNonce, serverNonce, "abcdefghijklmnop", place.publicKey());
        agentProof = IdentityProof.agentProof(clientNonce, serverNonce, "abcdefghijklmnop", place.publicKey(), agent.publicKey());
        agentSignature = agent.sign(agentProof);
        keyText = agent.publicKeyText();
        signatureText = Base64Url.encode(agentSignature);
    }

    /** The place signs its challenge answer. */
    @Benchmark
    public byte[] placeSigns() {
        return place.sign(placeProof);
    }

    /** The place checks an agent's announce signature. */
    @Benchmark
    public boolean placeVerifies() {
        return Ed25519.verify(agent.publicKey(), agentProof, agentSignature);
    }

    /** What a signed announce costs the place thread before the check is handed off. */
    @Benchmark
    public byte[] placeThreadPart() {
        byte[] key = Base64Url.decode(keyText, 32, 32);
        byte[] signature = Base64Url.decode(signatureText, 64, 64);
        return IdentityProof.agentProof(clientNonce, serverNonce, "abcdefghijklmnop", place.publicKey(), key.length == 32
                && signature.length == 64 ? key : null);
    }
}
