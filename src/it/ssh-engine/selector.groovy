// A Docker IT that also needs setup.sh's sshd and its host alias frankenphp-server.
binding.setVariable('needsSsh', true)
return evaluate(new File(basedir, '../../../src/it/common/docker-selector.groovy'))
