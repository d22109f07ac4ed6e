package dev.parity.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjangoTest {

    @TempDir
    Path root;

    private static final String MANAGE = """
            #!/usr/bin/env python
            import os
            import sys

            def main():
                os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
                from django.core.management import execute_from_command_line
                execute_from_command_line(sys.argv)
            """;

    @Test
    void literalDatabasesSettings() {
        Fixture.write(root, "manage.py", MANAGE);
        Fixture.write(root, "mysite/settings.py", """
                DEBUG = True
                DATABASES = {
                    "default": {
                        "ENGINE": "django.db.backends.postgresql",
                        "NAME": "mysite_dev",
                        "USER": os.environ.get("DB_USER", "mysite"),
                        "PASSWORD": "dev-pw",
                        "HOST": "127.0.0.1",
                        "PORT": "5432",
                    }
                }
                """);
        Project p = ProjectDetector.detect(root, Map.of());
        assertEquals("Django", p.framework());
        assertEquals("manage.py", p.evidence());
        assertEquals(Optional.of("python manage.py migrate"), p.migrate());
        assertEquals(Optional.of("python manage.py shell"), p.console());
        assertEquals(new LocalDatabase("mysite_dev", Optional.of("127.0.0.1"), Optional.of("5432"), Optional.of("mysite"),
                Optional.of("dev-pw"), "mysite/settings.py DATABASES NAME"), p.developmentDatabase().orElseThrow());
    }

    @Test
    void singleQuotedNameAndEnvironmentLookups() {
        Fixture.write(root, "manage.py", MANAGE);
        Fixture.write(root, "mysite/settings.py", """
                DATABASES = {
                    'default': {
                        'ENGINE': 'django.db.backends.postgresql',
                        'NAME': os.getenv('DB_NAME', 'fallback_dev'),
                        'HOST': os.environ['DB_HOST'],
                    }
                }
                """);
        LocalDatabase db = ProjectDetector.detect(root, Map.of("DB_HOST", "db.local")).developmentDatabase().orElseThrow();
        assertEquals("fallback_dev", db.name());
        assertEquals(Optional.of("db.local"), db.host());
    }

    @Test
    void djDatabaseUrlDefault() {
        Fixture.write(root, "manage.py", MANAGE);
        Fixture.write(root, "mysite/settings.py", """
                import dj_database_url
                DATABASES = {
                    'default': dj_database_url.config(default='postgres://me:pw@localhost:5432/mysite_dev', conn_max_age=600)
                }
                """);
        assertEquals(new LocalDatabase("mysite_dev", Optional.of("localhost"), Optional.of("5432"), Optional.of("me"),
                Optional.of("pw"), "mysite/settings.py DATABASE_URL default"),
                ProjectDetector.detect(root, Map.of()).developmentDatabase().orElseThrow());
    }

    @Test
    void environmentDatabaseUrlWinsOverTheDefaultLikeDjDatabaseUrl() {
        Fixture.write(root, "manage.py", MANAGE);
        Fixture.write(root, "mysite/settings.py",
                "import dj_database_url\nDATABASES = {'default': dj_database_url.config(default='postgres://localhost/default_dev')}\n");
        LocalDatabase db = ProjectDetector.detect(root, Map.of("DATABASE_URL", "postgres://localhost/env_dev"))
                .developmentDatabase().orElseThrow();
        assertEquals("env_dev", db.name());
        assertEquals("environment DATABASE_URL", db.source());
    }

    @Test
    void splitSettingsFollowTheModuleThatManagePyNames() {
        Fixture.write(root, "manage.py", MANAGE.replace("mysite.settings", "config.settings.local"));
        Fixture.write(root, "config/settings/base.py", "DATABASES = {'default': {'NAME': 'base_name'}}\n");
        Fixture.write(root, "config/settings/local.py", "from .base import *\nDATABASES = {'default': {'NAME': 'local_name'}}\n");
        Fixture.write(root, "config/settings/production.py", "DATABASES = {'default': {'NAME': 'prod_name'}}\n");
        assertEquals("local_name", ProjectDetector.detect(root, Map.of()).developmentDatabase().orElseThrow().name());
        assertEquals("prod_name", ProjectDetector.detect(root, Map.of("DJANGO_SETTINGS_MODULE", "config.settings.production"))
                .developmentDatabase().orElseThrow().name());
    }

    @Test
    void settingsPackageWithoutAModuleHintIsStillSearched() {
        Fixture.write(root, "manage.py", "# custom manage.py\n");
        Fixture.write(root, "proj/settings/dev.py", "DATABASES = {\n    'default': {\n        'NAME': 'proj_dev',\n    }\n}\n");
        LocalDatabase db = ProjectDetector.detect(root, Map.of()).developmentDatabase().orElseThrow();
        assertEquals("proj_dev", db.name());
        assertEquals("proj/settings/dev.py DATABASES NAME", db.source());
    }

    @Test
    void sqliteDefaultFallsBackToEnvironmentDatabaseUrl() {
        Fixture.write(root, "manage.py", MANAGE);
        Fixture.write(root, "mysite/settings.py", """
                DATABASES = {
                    'default': {
                        'ENGINE': 'django.db.backends.sqlite3',
                        'NAME': BASE_DIR / 'db.sqlite3',
                    }
                }
                """);
        assertTrue(ProjectDetector.detect(root, Map.of()).developmentDatabase().isEmpty());
        assertEquals("from_env", ProjectDetector.detect(root, Map.of("DATABASE_URL", "postgres:///from_env"))
                .developmentDatabase().orElseThrow().name());
    }
}
