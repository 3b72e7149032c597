def log = new File(basedir, 'build.log').text
[
    "<release><dockerHost> (frankenphp.release.dockerHost) = '': <release><target>compose</target> needs the production engine, such as ssh://deploy@server.example.com",
    "<release><url> (frankenphp.release.url) = 'ftp://api.example.com/': use an http:// or https:// URL",
    "<release><project> (frankenphp.release.project) = 'My Shop'",
].each { assert log.contains(it) : "build.log lacks: ${it}" }
assert !new File(basedir, 'target/frankenphp').exists() : 'nothing may be written when the configuration is invalid'
assert !log.contains('\tat fr.miweb') : 'a stack trace is never the message'
return true
