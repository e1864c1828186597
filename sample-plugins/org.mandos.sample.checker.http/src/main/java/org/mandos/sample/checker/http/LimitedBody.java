package org.mandos.sample.checker.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A body subscriber that keeps at most {@code limit} bytes and then cancels the subscription (which
 * makes the HTTP client close the connection), so an endless or huge body neither fills memory nor
 * keeps a check running. With a limit of 0 it reads nothing at all.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<LimitedBody.Body> {

    /**
     * @param bytes     the first bytes of the body, at most the limit
     * @param truncated whether the body went on beyond them
     */
    record Body(byte[] bytes, boolean truncated) {
    }

    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<Body> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
        this.limit = limit;
    }

    @Override
    public CompletionStage<Body> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (limit == 0) {
            s.cancel();
            body.complete(new Body(new byte[0], false));
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            int room = limit - kept.size();
            int take = Math.min(room, buffer.remaining());
            byte[] chunk = new byte[take];
            buffer.get(chunk);
            kept.write(chunk, 0, take);
            if (buffer.hasRemaining()) {
                subscription.cancel();
                body.complete(new Body(kept.toByteArray(), true));
                return;
            }
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable failure) {
        body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        body.complete(new Body(kept.toByteArray(), false));
    }
}
