package ossidecar.amqp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MethodTypeTest {

    @Test
    void theTableHasRabbitMqsSixtySixMethods() {
        assertEquals(66, MethodType.values().length);
        Set<String> classes = EnumSet.allOf(MethodType.class).stream().map(MethodType::className)
                .collect(Collectors.toSet());
        assertEquals(Set.of("connection", "channel", "access", "exchange", "queue", "basic", "tx", "confirm"), classes);
    }

    @ParameterizedTest
    @EnumSource(MethodType.class)
    void lookupByIdsAndByNameFindsTheSameConstant(MethodType type) {
        assertSame(type, MethodType.of(type.classId(), type.methodId()));
        assertSame(type, MethodType.named(type.specName()));
        assertEquals(type.specName(), type.toString());
    }

    @Test
    void idsAreUnique() {
        Set<Integer> ids = new HashSet<>();
        for (MethodType t : MethodType.values()) {
            assertTrue(ids.add(t.classId() << 16 | t.methodId()), t.toString());
        }
    }

    @Test
    void unknownIdsGiveNull() {
        assertNull(MethodType.of(60, 999));
        assertNull(MethodType.of(60, 12));
        assertNull(MethodType.of(61, 10));
        assertNull(MethodType.of(0, 0));
        assertNull(MethodType.of(65535, 65535));
        assertNull(MethodType.of(-1, 10));
        assertNull(MethodType.of(10, -1));
        assertNull(MethodType.named("basic.frobnicate"));
    }

    @Test
    void namesFollowTheSpec() {
        assertEquals("basic.recover-async", MethodType.BASIC_RECOVER_ASYNC.specName());
        assertEquals("connection.update-secret-ok", MethodType.CONNECTION_UPDATE_SECRET_OK.specName());
        assertEquals("tx.select", MethodType.TX_SELECT.specName());
        // RabbitMQ's table: exchange.unbind-ok is 51, not 41
        assertSame(MethodType.EXCHANGE_UNBIND_OK, MethodType.of(40, 51));
    }

    @Test
    void exactlyTheFourDeliveryMethodsCarryContent() {
        Set<MethodType> content = EnumSet.noneOf(MethodType.class);
        for (MethodType t : MethodType.values()) {
            if (t.hasContent()) {
                content.add(t);
            }
        }
        assertEquals(EnumSet.of(MethodType.BASIC_PUBLISH, MethodType.BASIC_RETURN, MethodType.BASIC_DELIVER,
                MethodType.BASIC_GET_OK), content);
    }

    @Test
    void fieldsAreInWireOrderWithTheirDomains() {
        assertEquals(List.of(
                new Field("ticket", FieldType.SHORT, false),
                new Field("exchange", FieldType.SHORTSTR, false),
                new Field("routing-key", FieldType.SHORTSTR, false),
                new Field("mandatory", FieldType.BIT, false),
                new Field("immediate", FieldType.BIT, false)), MethodType.BASIC_PUBLISH.fields());
        assertEquals(2, MethodType.BASIC_PUBLISH.indexOf("routing-key"));
        assertEquals(-1, MethodType.BASIC_PUBLISH.indexOf("routing_key"));
        assertEquals(0, MethodType.TX_SELECT.fieldCount());
        assertThrows(UnsupportedOperationException.class, () -> MethodType.BASIC_ACK.fields().clear());
    }

    @Test
    void onlyCredentialsAreSecret() {
        Set<String> secret = new HashSet<>();
        for (MethodType t : MethodType.values()) {
            for (Field f : t.fields()) {
                if (f.secret()) {
                    secret.add(t + "." + f.name());
                }
            }
        }
        assertEquals(Set.of("connection.start-ok.response", "connection.secure-ok.response",
                "connection.update-secret.new-secret"), secret);
        assertFalse(MethodType.CONNECTION_SECURE.fields().get(0).secret(), "the server's challenge is no credential");
    }
}
