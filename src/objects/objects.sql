-- ---------------------------------------------------------------------------
-- segmentation_objects: every SQL object of the extension, what kind it is,
-- its signature and what it is for (its COMMENT), in one view, so that a
-- newcomer or a BI tool's object browser finds the functions by purpose:
--
--   SELECT name, signature, description FROM segmentation_objects
--    WHERE kind = 'aggregate';
--
-- Read from the catalogue when queried (pg_depend's extension membership),
-- so that it always lists what is installed, objects of later versions
-- included.
-- ---------------------------------------------------------------------------

CREATE VIEW @extschema@.segmentation_objects AS
WITH member AS (
	SELECT d.classid, d.objid
	  FROM pg_catalog.pg_depend d
	  JOIN pg_catalog.pg_extension e ON d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
		   AND d.refobjid = e.oid
	 WHERE e.extname = 'segmentation' AND d.deptype = 'e'
)
SELECT o.name, o.kind, o.signature,
	   pg_catalog.obj_description(m.objid, m.classid::pg_catalog.regclass::pg_catalog.text) AS description
  FROM member m
 CROSS JOIN LATERAL (
	SELECT p.proname::pg_catalog.text,
		   CASE p.prokind WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window function' WHEN 'p' THEN 'procedure'
		   ELSE CASE WHEN p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype THEN 'trigger function'
				ELSE 'function' END END,
		   p.proname OPERATOR(pg_catalog.||) '(' OPERATOR(pg_catalog.||)
		   pg_catalog.pg_get_function_arguments(p.oid) OPERATOR(pg_catalog.||) ') returns '
		   OPERATOR(pg_catalog.||) pg_catalog.pg_get_function_result(p.oid)
	  FROM pg_catalog.pg_proc p WHERE m.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = m.objid
	UNION ALL
	SELECT t.typname::pg_catalog.text,
		   CASE t.typtype WHEN 'b' THEN 'base type' WHEN 'c' THEN 'composite type' WHEN 'e' THEN 'enum type'
		   WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range type' ELSE 'type' END,
		   CASE t.typtype
		   WHEN 'c' THEN t.typname OPERATOR(pg_catalog.||) ' (' OPERATOR(pg_catalog.||)
				(SELECT pg_catalog.string_agg(a.attname OPERATOR(pg_catalog.||) ' '
											  OPERATOR(pg_catalog.||) pg_catalog.format_type(a.atttypid, a.atttypmod),
											  ', ' ORDER BY a.attnum)
				   FROM pg_catalog.pg_attribute a
				  WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
				OPERATOR(pg_catalog.||) ')'
		   WHEN 'e' THEN t.typname OPERATOR(pg_catalog.||) ' (' OPERATOR(pg_catalog.||)
				(SELECT pg_catalog.string_agg(pg_catalog.quote_literal(l.enumlabel), ', ' ORDER BY l.enumsortorder)
				   FROM pg_catalog.pg_enum l WHERE l.enumtypid = t.oid)
				OPERATOR(pg_catalog.||) ')'
		   ELSE t.typname::pg_catalog.text END
	  FROM pg_catalog.pg_type t WHERE m.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.oid = m.objid
	UNION ALL
	SELECT o.oprname::pg_catalog.text, 'operator',
		   o.oid::pg_catalog.regoperator::pg_catalog.text OPERATOR(pg_catalog.||) ' returns '
		   OPERATOR(pg_catalog.||) pg_catalog.format_type(o.oprresult, NULL)
	  FROM pg_catalog.pg_operator o WHERE m.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND o.oid = m.objid
	UNION ALL
	SELECT pg_catalog.format_type(c.castsource, NULL) OPERATOR(pg_catalog.||) ' AS '
		   OPERATOR(pg_catalog.||) pg_catalog.format_type(c.casttarget, NULL),
		   'cast',
		   '(' OPERATOR(pg_catalog.||) pg_catalog.format_type(c.castsource, NULL) OPERATOR(pg_catalog.||) ' AS '
		   OPERATOR(pg_catalog.||) pg_catalog.format_type(c.casttarget, NULL) OPERATOR(pg_catalog.||) ') '
		   OPERATOR(pg_catalog.||) CASE c.castcontext WHEN 'i' THEN 'implicit' WHEN 'a' THEN 'on assignment'
								   ELSE 'explicit' END
	  FROM pg_catalog.pg_cast c WHERE m.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND c.oid = m.objid
	UNION ALL
	SELECT r.relname::pg_catalog.text,
		   CASE r.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
		   WHEN 'p' THEN 'table' WHEN 'S' THEN 'sequence' ELSE 'relation' END,
		   r.relname OPERATOR(pg_catalog.||) ' (' OPERATOR(pg_catalog.||)
		   (SELECT pg_catalog.string_agg(a.attname OPERATOR(pg_catalog.||) ' '
										 OPERATOR(pg_catalog.||) pg_catalog.format_type(a.atttypid, a.atttypmod),
										 ', ' ORDER BY a.attnum)
			  FROM pg_catalog.pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped)
		   OPERATOR(pg_catalog.||) ')'
	  FROM pg_catalog.pg_class r WHERE m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND r.oid = m.objid
	UNION ALL
	SELECT c.opcname::pg_catalog.text, 'operator class',
		   c.opcname OPERATOR(pg_catalog.||) ' USING ' OPERATOR(pg_catalog.||) a.amname
		   OPERATOR(pg_catalog.||) ' FOR ' OPERATOR(pg_catalog.||) pg_catalog.format_type(c.opcintype, NULL)
	  FROM pg_catalog.pg_opclass c JOIN pg_catalog.pg_am a ON a.oid = c.opcmethod
	 WHERE m.classid = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND c.oid = m.objid
	UNION ALL
	SELECT f.opfname::pg_catalog.text, 'operator family',
		   f.opfname OPERATOR(pg_catalog.||) ' USING ' OPERATOR(pg_catalog.||) a.amname
	  FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_am a ON a.oid = f.opfmethod
	 WHERE m.classid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass AND f.oid = m.objid
	UNION ALL
	SELECT NULL, pg_catalog.pg_describe_object(m.classid, m.objid, 0), NULL
	 WHERE m.classid NOT IN ('pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass,
							 'pg_catalog.pg_operator'::pg_catalog.regclass, 'pg_catalog.pg_cast'::pg_catalog.regclass,
							 'pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_opclass'::pg_catalog.regclass,
							 'pg_catalog.pg_opfamily'::pg_catalog.regclass)
 ) o(name, kind, signature);

GRANT SELECT ON @extschema@.segmentation_objects TO PUBLIC;

COMMENT ON VIEW @extschema@.segmentation_objects IS
	'every SQL object of the segmentation extension: name, kind, signature and what it is for (its comment)';
COMMENT ON COLUMN @extschema@.segmentation_objects.name IS 'the object''s name (for a cast, source AS target)';
COMMENT ON COLUMN @extschema@.segmentation_objects.kind IS
	'function, aggregate, window function, trigger function, base type, composite type, enum type, operator, cast, table, view, operator class, operator family';
COMMENT ON COLUMN @extschema@.segmentation_objects.signature IS
	'how it is called or what it holds: arguments and result, fields, labels, operand types, cast context';
COMMENT ON COLUMN @extschema@.segmentation_objects.description IS 'what it is for: the object''s COMMENT';
