"""Read/write splitting as OpenStack's clients use it (DbSplitIT).

sqlalchemy HOST PORT USER PASSWORD SCHEMA ROUNDS
    An SQLAlchemy engine over PyMySQL (autocommit off, no BEGIN: SQLAlchemy's default). Per
    round, one transaction reads the table, updates a row, reads it back and commits; then one
    transaction only reads. Prints one JSON line: every value read, in order, and the node each
    read-only transaction ran on.

oslo HOST SPLIT_PORT READER_PORT USER PASSWORD SCHEMA ROUNDS
    oslo.db's enginefacade with connection= on the split listener and slave_connection= on the
    reader listener, as nova configures it. Per round a writer transaction updates a row and
    an async reader transaction (which uses the slave connection) reads; prints the nodes each
    ran on.
"""
import json
import sys

import sqlalchemy
from sqlalchemy import text


def url(host, port, user, password, schema):
    return "mysql+pymysql://%s:%s@%s:%s/%s?charset=utf8mb4" % (user, password, host, port, schema)


def sqlalchemy_mode(host, port, user, password, schema, rounds):
    engine = sqlalchemy.create_engine(url(host, port, user, password, schema), pool_pre_ping=True, pool_size=1)
    values, nodes = [], []
    with engine.connect() as conn:
        for r in range(rounds):
            with conn.begin():
                rows = conn.execute(text("SELECT id, v FROM split_py ORDER BY id")).fetchall()
                total = conn.execute(text("SELECT SUM(v) FROM split_py")).scalar()
                conn.execute(text("UPDATE split_py SET v = v + :d WHERE id = :id"), {"d": r + 1, "id": r % 10})
                after = conn.execute(text("SELECT v FROM split_py WHERE id = :id"), {"id": r % 10}).scalar()
            values.append([[list(x) for x in rows], int(total), int(after)])
            with conn.begin():
                count = conn.execute(text("SELECT COUNT(*) FROM split_py WHERE v > 0")).scalar()
                # @@ variables differ between nodes: the hint keeps this read where the transaction is
                nodes.append(conn.execute(text("/* sidecar:route=reader */ SELECT @@wsrep_node_name")).scalar())
            values.append(int(count))
    print(json.dumps({"values": values, "read_only_nodes": nodes}), flush=True)


def oslo_mode(host, split_port, reader_port, user, password, schema, rounds):
    from oslo_db.sqlalchemy import enginefacade

    @enginefacade.transaction_context_provider
    class Context(object):
        pass

    manager = enginefacade.transaction_context()
    manager.configure(connection=url(host, split_port, user, password, schema),
                      slave_connection=url(host, reader_port, user, password, schema), max_pool_size=2)
    writer_nodes, reader_nodes = [], []
    for r in range(rounds):
        ctx = Context()
        with manager.writer.using(ctx) as session:
            session.execute(text("UPDATE split_py SET v = v + 1 WHERE id = :id"), {"id": r % 10})
            writer_nodes.append(session.execute(text("SELECT @@wsrep_node_name")).scalar())
        ctx = Context()
        with manager.reader.async_.using(ctx) as session:
            session.execute(text("SELECT COUNT(*) FROM split_py")).scalar()
            reader_nodes.append(session.execute(text("/* sidecar:route=reader */ SELECT @@wsrep_node_name")).scalar())
    print(json.dumps({"writer_nodes": writer_nodes, "reader_nodes": reader_nodes}), flush=True)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "sqlalchemy":
        h, p, u, pw, s, n = sys.argv[2:8]
        sqlalchemy_mode(h, int(p), u, pw, s, int(n))
    elif mode == "oslo":
        h, sp, rp, u, pw, s, n = sys.argv[2:9]
        oslo_mode(h, int(sp), int(rp), u, pw, s, int(n))
    else:
        raise SystemExit("unknown mode " + mode)
