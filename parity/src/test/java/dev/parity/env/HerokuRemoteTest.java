package dev.parity.env;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HerokuRemoteTest {

    static HerokuHosts hosts(String setting) {
        return switch (setting) {
            case "default" -> HerokuHosts.from(Map.of());
            case "sandbox" -> HerokuHosts.from(Map.of("HEROKU_HOST", "http://127.0.0.1:5555"));
            case "githost" -> HerokuHosts.from(Map.of("HEROKU_GIT_HOST", "git.example-heroku.com"));
            default -> throw new IllegalArgumentException(setting);
        };
    }

    /**
     * hosts (default: nothing set; sandbox: HEROKU_HOST=http://127.0.0.1:5555; githost:
     * HEROKU_GIT_HOST=git.example-heroku.com) | remote URL | app (absent = not a Heroku remote)
     */
    @ParameterizedTest(name = "[{index}] {0}: {1} -> ''{2}''")
    @CsvSource(delimiter = '|', value = {
        // the forms Heroku hands out
        "default | https://git.heroku.com/myapp.git                 | myapp",
        "default | git@heroku.com:myapp.git                         | myapp",
        "default | ssh://git@heroku.com/myapp.git                   | myapp",
        "default | ssh://git@heroku.com:22/myapp.git                | myapp",
        "default | http://git.heroku.com/myapp.git                  | myapp",
        // without .git, with a trailing slash, with credentials, with digits and dashes
        "default | https://git.heroku.com/myapp                     | myapp",
        "default | git@heroku.com:myapp                             | myapp",
        "default | ssh://git@heroku.com/myapp                       | myapp",
        "default | https://git.heroku.com/myapp.git/                | myapp",
        "default | https://git.heroku.com/myapp/                    | myapp",
        "default | https://user:tok@git.heroku.com/myapp.git         | myapp",
        "default | https://tok@git.heroku.com/myapp.git             | myapp",
        "default | https://git.heroku.com/myapp-staging-2.git       | myapp-staging-2",
        "default | '  https://git.heroku.com/myapp.git  '           | myapp",
        // a local sandbox through HEROKU_HOST; the default forms still count
        "sandbox | http://127.0.0.1:5555/myapp.git                  | myapp",
        "sandbox | https://127.0.0.1:5555/myapp.git                 | myapp",
        "sandbox | git@127.0.0.1:5555:myapp.git                     | myapp",
        "sandbox | https://git.heroku.com/myapp.git                 | myapp",
        "sandbox | git@heroku.com:myapp.git                         | myapp",
        "sandbox | ssh://git@heroku.com/myapp.git                   | myapp",
        "default | http://127.0.0.1:5555/myapp.git                  | ",
        // HEROKU_GIT_HOST forms; the default forms still count
        "githost | https://git.example-heroku.com/myapp.git         | myapp",
        "githost | git@git.example-heroku.com:myapp.git             | myapp",
        "githost | ssh://git@git.example-heroku.com/myapp.git       | myapp",
        "githost | https://git.heroku.com/myapp.git                 | myapp",
        "default | https://git.example-heroku.com/myapp.git         | ",
        // not Heroku at all
        "default | git@github.com:acme/myapp.git                    | ",
        "default | https://github.com/acme/myapp.git                | ",
        "default | https://gitlab.com/acme/myapp.git                | ",
        "default | git@gitlab.com:acme/myapp.git                    | ",
        "default | /srv/git/myapp.git                               | ",
        "default | ../myapp.git                                     | ",
        "default | file:///srv/git/myapp.git                        | ",
        "default | https://git.heroku.com.evil.com/app.git          | ",
        "default | https://evil.com/git.heroku.com/app.git          | ",
        "default | https://git.heroku.com@evil.com/app.git          | ",
        "default | git@heroku.com.evil.com:app.git                  | ",
        "default | git@evil.com:heroku.com/app.git                  | ",
        "default | https://gitXheroku.com/app.git                   | ",
        "default | https://git.heroku.com/acme/app.git              | ",
        "default | https://git.heroku.com/app.git?x=1               | ",
        "default | ''                                               | ",
        "sandbox | http://127.0.0.1:55555/myapp.git                 | ",
        "sandbox | http://127.0.0.1:5555.evil.com/myapp.git         | ",
        "githost | https://git.example-heroku.com.evil.com/app.git  | ",
    })
    void appNameFromRemoteUrl(String setting, String url, String app) {
        assertEquals(app == null || app.isEmpty() ? Optional.empty() : Optional.of(app), HerokuRemote.appName(url, hosts(setting)));
    }
}
