package ossidecar.amqp.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ossidecar.amqp.codec.ReplyCode;
import ossidecar.amqp.proxy.BrokerClosePolicy.Decision;

class BrokerClosePolicyTest {
    private static final long T0 = 1_000_000_000L;

    private static long seconds(long s) {
        return T0 + TimeUnit.SECONDS.toNanos(s);
    }

    @Test
    void aForcedCloseIsANodeGoingDown() {
        assertEquals(Decision.RECOVER_NODE_DOWN, new BrokerClosePolicy().decide(ReplyCode.CONNECTION_FORCED, false, T0));
    }

    @Test
    void anInternalErrorIsRecoveredWithoutMarkingTheNodeDown() {
        assertEquals(Decision.RECOVER_BROKER_ERROR, new BrokerClosePolicy().decide(ReplyCode.INTERNAL_ERROR, false, T0));
    }

    @Test
    void closesTheClientCausedArePassedOn() {
        BrokerClosePolicy p = new BrokerClosePolicy();
        for (int code : new int[] {ReplyCode.ACCESS_REFUSED, ReplyCode.NOT_ALLOWED, ReplyCode.FRAME_ERROR,
                ReplyCode.COMMAND_INVALID, ReplyCode.CHANNEL_ERROR, ReplyCode.UNEXPECTED_FRAME,
                ReplyCode.RESOURCE_ERROR, ReplyCode.NOT_IMPLEMENTED, ReplyCode.SYNTAX_ERROR, ReplyCode.INVALID_PATH}) {
            assertEquals(Decision.PASS_ON, p.decide(code, false, T0), "code " + code);
        }
    }

    @Test
    void whileTheClientClosesEveryCloseIsPassedOn() {
        BrokerClosePolicy p = new BrokerClosePolicy();
        assertEquals(Decision.PASS_ON, p.decide(ReplyCode.CONNECTION_FORCED, true, T0));
        assertEquals(Decision.PASS_ON, p.decide(ReplyCode.INTERNAL_ERROR, true, T0));
        assertEquals(0, p.internalErrorsRecovered(), "a passed-on close uses none of the budget");
    }

    @Test
    void internalErrorsPastTheBudgetWithinTheWindowArePassedOn() {
        BrokerClosePolicy p = new BrokerClosePolicy();
        for (int i = 0; i < BrokerClosePolicy.INTERNAL_ERRORS_RECOVERED; i++) {
            assertEquals(Decision.RECOVER_BROKER_ERROR, p.decide(ReplyCode.INTERNAL_ERROR, false, seconds(i)), "error " + i);
        }
        assertEquals(Decision.PASS_ON, p.decide(ReplyCode.INTERNAL_ERROR, false, seconds(10)));
        assertEquals(Decision.RECOVER_NODE_DOWN, p.decide(ReplyCode.CONNECTION_FORCED, false, seconds(10)),
                "the budget is for internal errors only");
    }

    @Test
    void theBudgetRefillsAsErrorsLeaveTheWindow() {
        BrokerClosePolicy p = new BrokerClosePolicy();
        for (int i = 0; i < BrokerClosePolicy.INTERNAL_ERRORS_RECOVERED; i++) {
            p.decide(ReplyCode.INTERNAL_ERROR, false, seconds(i));
        }
        long window = BrokerClosePolicy.INTERNAL_ERROR_WINDOW.toSeconds();
        assertEquals(Decision.PASS_ON, p.decide(ReplyCode.INTERNAL_ERROR, false, seconds(window - 1)));
        assertEquals(Decision.RECOVER_BROKER_ERROR, p.decide(ReplyCode.INTERNAL_ERROR, false, seconds(window + 2)),
                "the errors at 0 s and 1 s left the window");
        assertEquals(BrokerClosePolicy.INTERNAL_ERRORS_RECOVERED - 1, p.internalErrorsRecovered());
    }
}
