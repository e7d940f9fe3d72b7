package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Schema version 4: a submission may also be {@code scoring}. Version 1 declared the status CHECK
 * inline, so each database named it its own way (H2 CONSTRAINT_..., PostgreSQL
 * submission_status_check); this finds it in the standard information schema, drops it and adds
 * a named one.
 */
public class V4__submission_status extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        List<String> old = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT tc.constraint_name, cc.check_clause"
                + " FROM information_schema.table_constraints tc JOIN information_schema.check_constraints cc"
                + " ON cc.constraint_name = tc.constraint_name AND cc.constraint_schema = tc.constraint_schema"
                + " WHERE LOWER(tc.table_name) = 'submission' AND tc.constraint_type = 'CHECK'")) {
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    String clause = r.getString(2).toLowerCase(Locale.ROOT);
                    if (clause.contains("status") && clause.contains("received")) {
                        old.add(r.getString(1));
                    }
                }
            }
        }
        if (old.size() != 1) {
            throw new SQLException("expected one status constraint on table submission, found " + old);
        }
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE submission DROP CONSTRAINT \"" + old.get(0).replace("\"", "\"\"") + "\"");
            s.execute("ALTER TABLE submission ADD CONSTRAINT submission_status CHECK (status IN"
                    + " ('received', 'valid', 'invalid', 'scoring', 'scored', 'failed'))");
        }
    }
}
