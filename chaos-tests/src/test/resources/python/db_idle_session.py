"""One idle database session across a fault, driven by DbIdleSessionFailoverIT.

usage: db_idle_session.py pymysql|sqlalchemy HOST PORT USER PASSWORD SCHEMA ROW_ID

Opens one session, sets session state, writes row ROW_ID and commits, prints
'READY <json>' with what the session sees, then waits for a line on stdin. After it, runs
its next statements and prints 'RESULT <json>'; any exception prints 'ERROR <type>: <text>'
and exits 1. Nothing is retried here: the point is whether the client sees an error.

pymysql: a bare connection with autocommit off, as SQLAlchemy/oslo.db use PyMySQL; the state
is set by statements on the session (USE, SET NAMES, SET SESSION ...).
sqlalchemy: an oslo.db-style engine (QueuePool of one, pool_pre_ping=True, autocommit off,
sql_mode and time_zone set by a 'connect' listener as oslo.db sets sql_mode). The pool would
hide a lost session by reconnecting, and its listener would set the state again, so the
result also reports how many DBAPI connections the pool opened: 1 means the session itself
survived.
"""
import json
import sys

import pymysql

STATE_SQL = ("SELECT @@SESSION.time_zone, @@SESSION.sql_mode, DATABASE(), @@SESSION.tx_isolation, "
             "@@SESSION.collation_connection, @@SESSION.autocommit, @@wsrep_node_name")
STATE_KEYS = ["time_zone", "sql_mode", "schema", "isolation", "collation", "autocommit", "node"]
# read and write timeouts: a session that hangs fails the check instead of the whole build
TIMEOUT = 30


def state(row):
    return {k: (v if not isinstance(v, bytes) else v.decode()) for k, v in zip(STATE_KEYS, row)}


def emit(tag, payload):
    print(tag + " " + json.dumps(payload, default=str), flush=True)


def wait_for_go():
    line = sys.stdin.readline()
    if not line:
        raise SystemExit("stdin closed before the go line")


def run_pymysql(host, port, user, password, schema, row_id):
    conn = pymysql.connect(host=host, port=port, user=user, password=password, autocommit=False,
                           charset="utf8mb4", read_timeout=TIMEOUT, write_timeout=TIMEOUT, connect_timeout=10)
    with conn.cursor() as cur:
        cur.execute("USE " + schema)
        cur.execute("SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci")
        cur.execute("SET SESSION time_zone = '+03:00'")
        cur.execute("SET SESSION sql_mode = 'ANSI_QUOTES,STRICT_TRANS_TABLES'")
        cur.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
        cur.execute("INSERT INTO failover_t (id, v) VALUES (%s, %s)", (row_id, "before"))
    conn.commit()
    with conn.cursor() as cur:
        cur.execute(STATE_SQL)
        before = state(cur.fetchone())
    conn.commit()  # idle outside any transaction, as a pooled oslo.db connection is
    emit("READY", before)
    wait_for_go()

    with conn.cursor() as cur:
        cur.execute(STATE_SQL)  # the session's next statement after the fault
        after = state(cur.fetchone())
        cur.execute("SELECT v FROM failover_t WHERE id = %s", (row_id,))
        read = cur.fetchone()
        cur.execute('SELECT "v" FROM failover_t WHERE id = %s', (row_id,))  # only valid with ANSI_QUOTES
        quoted = cur.fetchone()
        cur.execute("INSERT INTO failover_t (id, v) VALUES (%s, %s)", (row_id + 1, "after"))
    conn.commit()
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM failover_t WHERE id IN (%s, %s)", (row_id, row_id + 1))
        count = cur.fetchone()[0]
    conn.commit()
    conn.close()
    emit("RESULT", {"state": after, "read": read[0] if read else None,
                    "quoted": quoted[0] if quoted else None, "count": count, "connects": 1})


def run_sqlalchemy(host, port, user, password, schema, row_id):
    import sqlalchemy
    from sqlalchemy import event, text

    url = "mysql+pymysql://%s:%s@%s:%d/%s?charset=utf8mb4" % (user, password, host, port, schema)
    engine = sqlalchemy.create_engine(url, pool_pre_ping=True, pool_size=1, max_overflow=0, pool_recycle=3600,
                                      connect_args={"read_timeout": TIMEOUT, "write_timeout": TIMEOUT,
                                                    "connect_timeout": 10})
    connects = []

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, record):
        connects.append(1)
        cur = dbapi_connection.cursor()
        cur.execute("SET SESSION sql_mode = 'TRADITIONAL'")
        cur.execute("SET SESSION time_zone = '+03:00'")
        cur.close()

    with engine.begin() as c:
        c.execute(text("INSERT INTO failover_t (id, v) VALUES (:i, :v)"), {"i": row_id, "v": "before"})
    with engine.connect() as c:
        before = state(c.execute(text(STATE_SQL)).fetchone())
    # the connection is back in the pool (rolled back on return): idle, as between requests
    emit("READY", before)
    wait_for_go()

    with engine.connect() as c:  # pre-ping, then the next statement
        after = state(c.execute(text(STATE_SQL)).fetchone())
        read = c.execute(text("SELECT v FROM failover_t WHERE id = :i"), {"i": row_id}).scalar()
    with engine.begin() as c:
        c.execute(text("INSERT INTO failover_t (id, v) VALUES (:i, :v)"), {"i": row_id + 1, "v": "after"})
    with engine.connect() as c:
        count = c.execute(text("SELECT COUNT(*) FROM failover_t WHERE id IN (:a, :b)"),
                          {"a": row_id, "b": row_id + 1}).scalar()
    engine.dispose()
    emit("RESULT", {"state": after, "read": read, "quoted": read, "count": count, "connects": len(connects)})


def main():
    mode, host, port, user, password, schema, row_id = sys.argv[1:8]
    try:
        if mode == "pymysql":
            run_pymysql(host, int(port), user, password, schema, int(row_id))
        elif mode == "sqlalchemy":
            run_sqlalchemy(host, int(port), user, password, schema, int(row_id))
        else:
            raise SystemExit("unknown mode " + mode)
    except Exception as e:  # report every client-visible error, then fail
        print("ERROR %s: %s" % (type(e).__name__, e), flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
