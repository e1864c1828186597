package org.mandos.ctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputTest {

    @Test
    void tableColumnsAreAsWideAsTheirWidestCellAndTheLastIsPaddedToo() {
        List<Map<String, Object>> clients = List.of(FakeBus.client("foo", true, 300000, "2019-02-03T00:00:00"),
                FakeBus.client("barbar", true, 300000, "2019-02-04T00:00:00"));
        assertEquals("Name   Enabled Timeout  Last Successful Check\n"
                + "foo    Yes     00:05:00 2019-02-03T00:00:00  \n"
                + "barbar Yes     00:05:00 2019-02-04T00:00:00  ", Output.table(clients, false));
    }

    @Test
    void withoutClientsTheTableIsJustItsHeader() {
        assertEquals("Name Enabled Timeout Last Successful Check", Output.table(List.of(), false));
        assertEquals("{}", Output.json(List.of()));
    }

    @Test
    void verboseTableHasTheTwentyColumnsWithTheirHeaders() {
        String table = Output.table(List.of(FakeBus.client("x", false, 1000, "")), true);
        String header = table.split("\n")[0];
        assertEquals("Name Enabled Timeout  Last Successful Check Created             Interval Host   Key ID"
                + " Fingerprint Check Is Running Last Enabled        Approval Is Pending Approved By Default"
                + " Last Approval Request Approval Delay Approval Duration Checker              Extended Timeout"
                + " Expires Last Checker Status", header);
        assertEquals("x    No      00:00:01                       2019-02-03T00:00:00 00:02:00 host-x KEYID "
                + " FPR         No               2019-02-03T00:00:00 No                  Yes                "
                + "                       00:00:00       00:00:01          fping -q -- %(host)s 00:15:00        "
                + "         -2                 ", table.split("\n")[1]);
    }

    @Test
    void durationsAreDaysAndHoursMinutesSeconds() {
        assertEquals("00:05:00", Output.milliseconds(300000));
        assertEquals("1T02:03:05", Output.milliseconds(((26 * 60 + 3) * 60 + 5) * 1000L + 999));
        assertEquals("-1T23:59:59", Output.milliseconds(-1));
        assertEquals("00:00:00", Output.milliseconds(0));
        assertEquals("Yes", Output.cell(true, "Enabled"));
        assertEquals("-2", Output.cell(-2, "LastCheckerStatus"));
    }

    @Test
    void jsonIsIndentedByFourInServerOrderAsciiOnly() {
        Map<String, Object> c = FakeBus.client("demo", true, 300000, "");
        c.put("Host", "h\u00e9\"\n\u007f");
        String json = Output.json(List.of(c));
        assertEquals("""
                {
                    "demo": {
                        "Name": "demo",
                        "Enabled": true,
                        "Timeout": 300000,
                        "LastCheckedOK": "",
                        "Created": "2019-02-03T00:00:00",
                        "Interval": 120000,
                        "Host": "h\\u00e9\\"\\n\\u007f",
                        "KeyID": "KEYID",
                        "Fingerprint": "FPR",
                        "CheckerRunning": false,
                        "LastEnabled": "2019-02-03T00:00:00",
                        "ApprovalPending": false,
                        "ApprovedByDefault": true,
                        "LastApprovalRequest": "",
                        "ApprovalDelay": 0,
                        "ApprovalDuration": 1000,
                        "Checker": "fping -q -- %(host)s",
                        "ExtendedTimeout": 900000,
                        "Expires": "",
                        "LastCheckerStatus": -2
                    }
                }""", json);
    }

    @Test
    void pythonReprOfStringsAndBytes() {
        assertEquals("'demo'", PythonText.repr("demo"));
        assertEquals("\"it's\"", PythonText.repr("it's"));
        assertEquals("'a\\'b\"c'", PythonText.repr("a'b\"c"));
        assertEquals("'\\n\\t\\x00\u00e9\\xa0'", PythonText.repr("\n\t\0\u00e9\u00a0"));
        assertEquals("dbus.ByteArray(b\"sec'ret\\n\")", PythonText.reprValue("sec'ret\n".getBytes()));
        assertEquals("True", PythonText.reprValue(true));
        assertEquals("600000", PythonText.reprValue(600000L));
    }
}
