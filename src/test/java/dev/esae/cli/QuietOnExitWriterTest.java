package dev.esae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/** Once a signal has begun to exit the process, the commands' output stops: the handler's line stays the last one. */
class QuietOnExitWriterTest {
    private static void setExiting(boolean value) throws ReflectiveOperationException {
        Field f = SignalHandlers.class.getDeclaredField("exiting");
        f.setAccessible(true);
        f.setBoolean(null, value);
    }

    @Test
    void passesEverythingUntilTheProcessIsExitingThenNothing() throws ReflectiveOperationException {
        StringWriter sink = new StringWriter();
        PrintWriter w = new PrintWriter(new QuietOnExitWriter(sink), true);
        try {
            w.println("before");
            w.print('x');
            w.write("abc".toCharArray(), 1, 2);
            w.flush();
            setExiting(true);
            w.println("after: a step that was starting");
            w.print('y');
            w.flush();
        } finally {
            setExiting(false);
        }
        assertEquals("before" + System.lineSeparator() + "xbc", sink.toString());
    }
}
