package dev.ringfence.feedback.auth;

import dev.ringfence.feedback.ca.PeerIdentity;
import dev.ringfence.feedback.ca.Role;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the caller's identity from its verified client certificate (the TLS handshake already
 * checked the chain against the CA) and makes it available to handlers; a call without one is
 * refused before any handler runs.
 */
public final class PeerAuthentication implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(PeerAuthentication.class);
    private static final Context.Key<PeerIdentity> CALLER = Context.key("ringfence-caller");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Optional<PeerIdentity> caller = identityOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (caller.isEmpty()) {
            LOG.warn("event=call_refused method={} reason=\"no Ringfence identity in the client certificate\"",
                    call.getMethodDescriptor().getFullMethodName());
            call.close(Status.UNAUTHENTICATED.withDescription(
                    "no Ringfence identity in the client certificate (expected a SAN URI ringfence://<role>/<name>)"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller.get()), call, headers, next);
    }

    /** The caller of the current call, which must hold {@code role}; else PERMISSION_DENIED naming what it holds. */
    public static PeerIdentity require(Role role, String action) {
        PeerIdentity caller = CALLER.get();
        if (caller == null) {
            throw Status.UNAUTHENTICATED.withDescription("unauthenticated call").asRuntimeException();
        }
        if (caller.role() != role) {
            LOG.warn("event=call_refused caller={} needed_role={} action=\"{}\"", caller, role, action);
            throw new StatusRuntimeException(Status.PERMISSION_DENIED.withDescription(
                    "only " + role.name().toLowerCase(java.util.Locale.ROOT) + " certificates may " + action
                            + "; the caller holds " + caller));
        }
        return caller;
    }

    /** The caller of the current call, which must hold one of {@code roles}; else PERMISSION_DENIED. */
    public static PeerIdentity require(java.util.Set<Role> roles, String action) {
        PeerIdentity caller = CALLER.get();
        if (caller == null) {
            throw Status.UNAUTHENTICATED.withDescription("unauthenticated call").asRuntimeException();
        }
        if (!roles.contains(caller.role())) {
            LOG.warn("event=call_refused caller={} needed_roles={} action=\"{}\"", caller, roles, action);
            throw new StatusRuntimeException(Status.PERMISSION_DENIED.withDescription(
                    "only " + roles.stream().map(role -> role.name().toLowerCase(java.util.Locale.ROOT)).sorted().toList()
                            + " certificates may " + action + "; the caller holds " + caller));
        }
        return caller;
    }

    private static Optional<PeerIdentity> identityOf(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? PeerIdentity.of(leaf) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }
}
