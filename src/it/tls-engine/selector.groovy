// A Docker IT that also needs the engine's TLS endpoint (tcp://127.0.0.1:2376, from setup.sh).
binding.setVariable('needsEngineTls', true)
return evaluate(new File(basedir, '../../../src/it/common/docker-selector.groovy'))
