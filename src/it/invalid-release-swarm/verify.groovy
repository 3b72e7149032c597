def log = new File(basedir, 'build.log').text
[
    "Invalid plugin configuration (3 problems):",
    "<release><dockerHost> (frankenphp.release.dockerHost) = '': <release><target>swarm</target> needs a Swarm manager's engine, such as ssh://deploy@manager.example.com",
    "<release><replicas> (frankenphp.release.replicas) = '0': use a number of app tasks from 1 to 100",
    "<release><databaseNode> (frankenphp.release.databaseNode) = 'database': use a node label as key=value, such as frankenphp.database=true",
].each { assert log.contains(it) : "build.log lacks: ${it}" }
assert !new File(basedir, 'target/frankenphp').exists() : 'nothing may be written when the configuration is invalid'
assert !log.contains('\tat fr.miweb') : 'a stack trace is never the message'
return true
