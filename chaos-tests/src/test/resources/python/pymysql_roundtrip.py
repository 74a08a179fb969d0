"""PyMySQL with autocommit off (as oslo.db runs it), then SQLAlchemy's engine, through the
router. Prints 'OK' at the end; any failure raises."""
import sys

import pymysql
import sqlalchemy

host, port, user, password, db = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]

conn = pymysql.connect(host=host, port=port, user=user, password=password, database=db, autocommit=False)
with conn.cursor() as cur:
    cur.execute("CREATE OR REPLACE TABLE py_t (id INT PRIMARY KEY, name VARCHAR(20))")
    cur.executemany("INSERT INTO py_t VALUES (%s, %s)", [(i, "n%d" % i) for i in range(10)])
conn.rollback()
with conn.cursor() as cur:
    cur.execute("SELECT COUNT(*) FROM py_t")
    assert cur.fetchone()[0] == 0, "rolled back"
    cur.executemany("INSERT INTO py_t VALUES (%s, %s)", [(i, "n%d" % i) for i in range(10)])
conn.commit()
with conn.cursor() as cur:
    cur.execute("SELECT name FROM py_t WHERE id = %s", (7,))
    assert cur.fetchone()[0] == "n7"
conn.close()

engine = sqlalchemy.create_engine("mysql+pymysql://%s:%s@%s:%d/%s" % (user, password, host, port, db))
with engine.begin() as c:
    c.execute(sqlalchemy.text("UPDATE py_t SET name = :n WHERE id = :i"), {"n": "seven", "i": 7})
with engine.connect() as c:
    name = c.execute(sqlalchemy.text("SELECT name FROM py_t WHERE id = 7")).scalar()
    assert name == "seven", name
    assert "mariadb" in engine.dialect.name or engine.dialect._is_mariadb, "SQLAlchemy detects MariaDB"
    c.execute(sqlalchemy.text("DROP TABLE py_t"))
print("OK")
