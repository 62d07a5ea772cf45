-- scikit-learn 1.2.1, numpy 1.24.2: test/diff/cluster_reference_crm.py on the RFM
-- features (recency, orders, spend) of the 18038 customers who ordered in
-- test/lib/crm.sql at 20,000 customers as of 2026-06-30.  Inertia of
-- KMeans(n_clusters=k, n_init=10, random_state=0) on StandardScaler features,
-- or on log1p then StandardScaler.
CREATE TABLE cluster_reference_crm (scaling text, k int, wcss float8, customers int);
INSERT INTO cluster_reference_crm VALUES
	('zscore', 3, 21496.598502370827, 18038),
	('zscore', 4, 16363.199470193467, 18038),
	('zscore', 5, 12905.79714344877, 18038),
	('zscore', 6, 10389.539292949135, 18038),
	('zscore', 7, 8615.81363312558, 18038),
	('zscore', 8, 7484.28732842391, 18038),
	('log1p', 3, 26107.41572323961, 18038),
	('log1p', 4, 20593.39364014075, 18038),
	('log1p', 5, 17752.95220740545, 18038),
	('log1p', 6, 15615.84314011205, 18038),
	('log1p', 7, 13998.915342906652, 18038),
	('log1p', 8, 12713.914373102643, 18038);
