return evaluate(new File(basedir, '../../../src/it/common/tls-engine-selector.groovy'))
