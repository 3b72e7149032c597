return evaluate(new File(basedir, '../../../src/it/common/docker-selector.groovy'))
