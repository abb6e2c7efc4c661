package dev.alloplace.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoint on its own small Netty loop, apart from the UDP traffic. It only
 * routes: each path's {@link AdminRoute} decides what to answer. Paths other than the health
 * probes require {@code Authorization: Bearer <token>} when a token is configured.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
    private static final long ROUTE_TIMEOUT_MS = 5000;

    private final AdminSettings settings;
    private final Map<String, AdminRoute> routes = new LinkedHashMap<>();
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private EventLoopGroup group;
    private Channel channel;

    public AdminServer(AdminSettings settings) {
        this.settings = settings;
    }

    /** Paths anyone may read without the token: the probes and the inspector's static files. */
    private final Set<String> publicPaths = new java.util.HashSet<>(Set.of("/healthz", "/readyz"));

    /** Adds a route that needs no token (static content only); call before {@link #start()}. */
    public AdminServer publicRoute(String path, AdminRoute route) {
        publicPaths.add(path);
        return route(path, route);
    }

    /** Adds a route; call before {@link #start()}. */
    public AdminServer route(String path, AdminRoute route) {
        routes.put(path, route);
        return this;
    }

    /** Caps a request body (counted as it arrives; a longer one gets 413); call before {@link #start()}. */
    public AdminServer maxRequestBytes(int bytes) {
        maxRequestBytes = bytes;
        return this;
    }

    public InetSocketAddress start() throws InterruptedException {
        String problem = settings.problem();
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        group = new NioEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "alloplace-admin");
            t.setDaemon(true);
            return t;
        });
        Map<String, AdminRoute> frozen = Map.copyOf(routes);
        int bodyCap = maxRequestBytes;
        channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new ReadTimeoutHandler(30),
                                new HttpServerCodec(),
                                new HttpObjectAggregator(bodyCap),
                                new Dispatcher(frozen, settings.token(), Set.copyOf(publicPaths)));
                    }
                })
                .bind(settings.bind(), settings.port())
                .sync()
                .channel();
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        log.info("admin HTTP on http://{}:{}/", local.getAddress().getHostAddress(), local.getPort());
        return local;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(1000);
        }
        if (group != null) {
            group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(1000);
        }
    }

    private static final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Map<String, AdminRoute> routes;
        private final byte[] expectedAuth;
        private final Set<String> publicPaths;

        Dispatcher(Map<String, AdminRoute> routes, String token, Set<String> publicPaths) {
            this.routes = routes;
            this.publicPaths = publicPaths;
            this.expectedAuth = token.isBlank() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!request.decoderResult().isSuccess()) {
                write(ctx, AdminResponse.text(400, "malformed request\n"), false);
                return;
            }
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path = uri.path();
            if (expectedAuth != null && !publicPaths.contains(path) && !authorized(request)) {
                write(ctx, AdminResponse.text(401, "missing or wrong bearer token\n"), keepAlive);
                return;
            }
            AdminRoute route = routes.get(path);
            if (route == null) {
                route = prefixRoute(path);
            }
            if (route == null) {
                write(ctx, AdminResponse.text(404, "no such endpoint: " + path + "\n"), keepAlive);
                return;
            }
            byte[] body = new byte[request.content().readableBytes()];
            request.content().readBytes(body);
            Map<String, String> headers = new LinkedHashMap<>();
            request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
            AdminRequest adminRequest = new AdminRequest(request.method().name(), path, uri.parameters(), body, headers);
            CompletableFuture<AdminResponse> answer;
            try {
                answer = route.handle(adminRequest);
            } catch (RuntimeException e) {
                log.warn("admin route {} failed", path, e);
                answer = CompletableFuture.completedFuture(AdminResponse.text(500, "internal error\n"));
            }
            answer.orTimeout(ROUTE_TIMEOUT_MS, TimeUnit.MILLISECONDS).whenComplete((response, failure) -> {
                AdminResponse r = response;
                if (failure != null) {
                    log.warn("admin route {} failed: {}", path, failure.toString());
                    r = AdminResponse.text(503, "unavailable: " + failure.getClass().getSimpleName() + "\n");
                }
                AdminResponse fin = r;
                ctx.executor().execute(() -> write(ctx, fin, keepAlive));
            });
        }

        /** Routes registered with a trailing slash serve every path below them. */
        private AdminRoute prefixRoute(String path) {
            AdminRoute best = null;
            int bestLength = -1;
            for (Map.Entry<String, AdminRoute> entry : routes.entrySet()) {
                String prefix = entry.getKey();
                if (prefix.endsWith("/") && path.startsWith(prefix) && prefix.length() > bestLength) {
                    best = entry.getValue();
                    bestLength = prefix.length();
                }
            }
            return best;
        }

        private boolean authorized(FullHttpRequest request) {
            String given = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expectedAuth);
        }

        private static void write(ChannelHandlerContext ctx, AdminResponse r, boolean keepAlive) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
                    .set(HttpHeaderNames.CONTENT_LENGTH, r.body().length)
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("admin connection error: {}", cause.toString());
            ctx.close();
        }
    }
}
