-- royalties.sql - the bench's peer: the same royalties in SQLite SQL.
-- Run by bench/royalties.sh as `sqlite3 :memory:` with the files imported
-- first (.import makes every column text, hence the casts and the typed,
-- indexed copy of the bands).  Amounts become integer cents; per line, net
-- = gross - min(deductions, gross / 10 rounded) (the 10% cap); marginal
-- tiers per agreement and calendar year: a period's royalty = F(Y+N) -
-- F(Y), F summing each band's rate x the part of the total inside it,
-- rounded per band.
CREATE TABLE b AS
  SELECT a, CAST(lo AS INTEGER) AS lo, CAST(hi AS INTEGER) AS hi, CAST(rate AS INTEGER) AS rate FROM bands;
CREATE INDEX b_a ON b(a);
WITH l AS (
  SELECT x_agreement AS a, period AS p, CAST(substr(period, 1, 4) AS INTEGER) AS y,
         CAST(round(gross_sales * 100) AS INTEGER) AS g,
         CAST(round(deductions * 100) AS INTEGER) AS d
  FROM sales),
per AS (
  SELECT a, p, y, SUM(g - MIN(d, (g + 5) / 10)) AS n FROM l GROUP BY a, p),
cum AS (
  SELECT a, p, n, COALESCE(SUM(n) OVER (PARTITION BY a, y ORDER BY p
                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS yb
  FROM per),
roy AS (
  SELECT c.a, c.p,
         SUM(round(b.rate * MAX(0, MIN(c.yb + c.n, b.hi) - MAX(c.yb, b.lo)) / 100.0)) AS r
  FROM cum c JOIN b ON b.a = c.a GROUP BY c.a, c.p)
SELECT 'statements=' || COUNT(*) || ' royalty=' || printf('%.2f', SUM(r) / 100.0) FROM roy;
